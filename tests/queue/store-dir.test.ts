import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers.js';
import { makeJobId } from '../../queue/job-id.js';
import { parseQueueUrl } from '../../queue/queue-url.js';
import { openJobStore } from '../../queue/store-dir.js';

test('job store: a shard counts as done only once renamed and marked; forget runs it again', () => {
  const store = openJobStore(makeTempDir('incorpus-store-'));
  const temp = store.tempPath('crawl', 'crawl-abc');
  writeFileSync(temp, 'shard bytes');
  assert.equal(store.isDone('crawl', 'crawl-abc'), false, 'a temporary shard is never output');
  store.publish('crawl', 'crawl-abc', temp, { items: 1 });
  assert.equal(store.isDone('crawl', 'crawl-abc'), true);
  assert.ok(existsSync(store.shardPath('crawl', 'crawl-abc')));
  assert.deepEqual(readdirSync(join(store.root, 'crawl')).sort(), ['crawl-abc.db', 'crawl-abc.done']);
  store.forget('crawl', 'crawl-abc');
  assert.equal(store.isDone('crawl', 'crawl-abc'), false);
});

test('job ids: the same work gets the same id, other work another; BullMQ-safe (no ":", not all digits)', () => {
  const a = makeJobId('crawl', ['dir', '/x', null]);
  assert.equal(a, makeJobId('crawl', ['dir', '/x', null]));
  assert.notEqual(a, makeJobId('crawl', ['dir', '/y', null]));
  assert.notEqual(a, makeJobId('rebuild', ['dir', '/x', null]));
  assert.match(a, /^crawl-[0-9a-f]{40}$/);
});

test('queue URL: redis://HOST:PORT[/DB] with credentials; anything else is a usage error', () => {
  assert.deepEqual(parseQueueUrl('redis://127.0.0.1:6380/2'), { host: '127.0.0.1', port: 6380, db: 2, maxRetriesPerRequest: null });
  assert.equal(parseQueueUrl('redis://u:p%40ss@q').password, 'p@ss');
  assert.equal(parseQueueUrl('redis://q').port, 6379);
  for (const bad of ['http://q:1', 'q:6379', 'redis://q:1/x']) assert.throws(() => parseQueueUrl(bad), { name: 'UsageError' }, bad);
});
