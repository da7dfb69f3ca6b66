import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, test } from 'node:test';
import { makeTempDir, runCli, writeKeepUnlicensedConfig } from '../helpers.js';
import { requireBwrap, requireTool } from '../annotate/toolchain-required.js';
import { descendants, isAlive, runCliAsync, runHash, startWorker, type TestWorker } from './cluster.js';
import { writeRealRepos } from './material.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

/**
 * Crawl + rebuild (with verification) + export of a small real-source corpus,
 * in-process and through the queue with real worker processes: the same bytes
 * whatever the number of workers, a SIGKILLed worker or a crashed Redis.
 */
const root = makeTempDir('incorpus-scale-');
const repos = writeRealRepos(join(root, 'src'));
const policy = writeKeepUnlicensedConfig(root);
const EXPORT = ['--seed', '3', '--fim-rate', '0.5', '--val-fraction', '0.2'];
let reference = '';

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.status, 0, `${what} failed: ${r.stderr}`);
  return r.stdout;
}

/** Crawl, rebuild, export (parts of 4 documents, shards of 20 kB) through the queue; returns the run hash and the rebuild summary. */
async function queuedRun(name: string, redis: TestRedis, during?: (store: string) => Promise<void>): Promise<{ hash: string; rebuild: Record<string, any> }> {
  const db = join(root, `${name}.db`);
  const store = join(root, `${name}-store`);
  const q = ['--queue', redis.url, '--store', store];
  ok(await runCliAsync(['--db', db, 'crawl', 'dir', ...repos, ...q]), `${name}: crawl`);
  const rebuilding = runCliAsync(['--db', db, 'rebuild', '--config', policy, '--json', '--shard-files', '5', ...q]);
  if (during) await during(store);
  const rebuild = JSON.parse(ok(await rebuilding, `${name}: rebuild`)) as Record<string, any>;
  ok(await runCliAsync(['--db', db, 'export', '--out', join(root, `${name}-out`), ...EXPORT, '--part-docs', '4', '--shard-size', '20000', ...q]), `${name}: export`);
  return { hash: runHash(db, join(root, `${name}-out`)), rebuild };
}

before(async () => {
  requireTool('iverilog');
  requireTool('gcc');
  await requireBwrap();
  const db = join(root, 'ref.db');
  ok(runCli(['--db', db, 'crawl', 'dir', ...repos]), 'in-process crawl');
  ok(runCli(['--db', db, 'rebuild', '--config', policy]), 'in-process rebuild');
  ok(runCli(['--db', db, 'export', '--out', join(root, 'ref-out'), ...EXPORT, '--shard-size', '20000']), 'in-process export');
  reference = runHash(db, join(root, 'ref-out'));
});

async function withCluster(n: number, redisOpts: { appendonly?: boolean }, env: Record<string, string>, body: (redis: TestRedis, workers: TestWorker[]) => Promise<void>): Promise<void> {
  const redis = await startTestRedis(redisOpts);
  const workers = Array.from({ length: n }, () => startWorker(redis.url, env));
  try {
    await body(redis, workers);
  } finally {
    for (const w of workers) await w.stop();
    await redis.stop();
  }
}

test('queue: 1 worker and 3 workers give the in-process bytes, and the workers did the verifying', async () => {
  for (const n of [1, 3]) {
    await withCluster(n, {}, {}, async (redis, workers) => {
      const { hash, rebuild } = await queuedRun(`w${n}`, redis);
      assert.equal(hash, reference, `${n} worker(s): export + verdicts differ from the in-process run`);
      assert.equal(rebuild.queue.shards, 4, '18 files in shards of 5');
      // The coordinator answered every verification from the workers' shard caches.
      assert.equal(rebuild.stages.verify.counters['tool-runs'] ?? 0, 0, JSON.stringify(rebuild.stages.verify));
      assert.ok(rebuild.stages.verify.counters['doc-cache-hits'] > 0);
      // ... and the per-document stages from the stage memo the shards filled (not recomputed).
      for (const stage of ['analyze', 'annotate']) assert.ok((rebuild.stages[stage].counters['memo-hits'] ?? 0) > 0, `${stage}: ${JSON.stringify(rebuild.stages[stage])}`);
      // ... and near-dedup's signatures from the shards too (it signed nothing itself).
      const nd = rebuild.stages['near-dedup'];
      assert.ok((nd.counters?.['signature-memo-hits'] ?? 0) > 0 && (nd.counters?.['signatures-computed'] ?? 0) === 0, JSON.stringify(nd));
      // ... and its LSH bucket walk ran in the band-partition jobs (4 by default).
      assert.equal(rebuild.queue.nearDedupBands?.partitions, 4, JSON.stringify(rebuild.queue));
      // Every job ran; one may run twice (a lock not renewed in time on a loaded machine counts as a
      // stall, the 2 s test lock makes that likely): at-least-once, harmless, and the hash above proves it.
      const ran = new Set(workers.flatMap((w) => [...w.log().matchAll(/((?:crawl|rebuild)-[0-9a-f]+): \d+ items in/g)].map((m) => m[1])));
      assert.equal(ran.size, 3 + 4, `3 crawl + 4 shard jobs ran: ${[...ran].join(' ')}`);
      const exported = workers.map((w) => w.log()).join('');
      assert.match(exported, /export-part-[0-9a-f]+: \d+ items/, 'the workers ran the export parts');
      assert.match(exported, /export-shard-[0-9a-f]+: \d+ items/, 'the workers wrote the export shards');
    });
  }
});

test('queue: a worker SIGKILLed (whole process group) mid-job; its job runs again elsewhere, sandbox children die, same bytes', async () => {
  await withCluster(1, {}, { INCORPUS_DEBUG_JOB_DELAY_MS: '400' }, async (redis, [victim]) => {
    let second: TestWorker | null = null;
    let orphans: number[] = [];
    let kids: number[] = [];
    const { hash } = await queuedRun('kill', redis, async () => {
      // Mid-job, while a tool runs in the sandbox: the worker has child processes.
      for (let i = 0; i < 1500 && kids.length === 0; i++) {
        kids = descendants(victim!.pid);
        if (kids.length === 0) await sleep(10);
      }
      await victim!.killGroup();
      await sleep(500);
      orphans = kids.filter(isAlive);
      // Started whatever happened above, so the coordinator can always finish.
      second = startWorker(redis.url);
    });
    try {
      assert.ok(kids.length > 0, 'the worker had sandbox children at the moment of the kill');
      assert.deepEqual(orphans, [], 'sandbox processes outlived the killed worker');
      assert.equal(hash, reference);
      assert.match(second!.log(), /rebuild-[0-9a-f]+: \d+ items/, 'the second worker ran the shard the first one died in');
    } finally {
      await (second as TestWorker | null)?.stop();
    }
  });
});

test('queue: Redis crashes mid-rebuild and restarts from its append-only file; the run completes with the same bytes', async () => {
  await withCluster(2, { appendonly: true }, { INCORPUS_DEBUG_JOB_DELAY_MS: '150' }, async (redis) => {
    const { hash } = await queuedRun('redis', redis, async (store) => {
      const dir = join(store, 'rebuild');
      for (let i = 0; i < 300 && !(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.done'))); i++) await sleep(50);
      await redis.crashAndRestart();
    });
    assert.equal(hash, reference);
  });
});
