import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { makeTempDir, runCli, writeKeepUnlicensedConfig } from '../helpers.js';
import { editLines, makeVerilog } from '../dedup/fixtures.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCliAsync, startWorker, type TestWorker } from './cluster.js';
import { startTestRedis } from './redis-server.js';
import { storedRows } from './stored-rows.js';

/**
 * Near-dedup through the queue: a corpus with near-duplicate families (forks
 * editing 1..12 of 40 lines, so some pairs sit near the 0.7 threshold where the
 * default `hybrid` check reads both texts, and copies of real Yosys files with
 * one line changed), rebuilt in-process and with `rebuild --queue` on 2
 * workers: every stored row of the generation must be the same (clusters,
 * families, verdicts), the coordinator must have taken its signatures from
 * the shards and its bucket candidates from the band-partition jobs.
 */
const root = makeTempDir('incorpus-nearq-');
const REAL = ['adff2dff.v', 'cmp2lcu.v', 'dff2ff.v', 'gate2lut.v', 'pmux2mux.v', 'cmp2lut.v'].map((f) => `/usr/share/yosys/${f}`);

function writeMaterial(dir: string): string[] {
  const repos: Record<string, Record<string, string>> = { base: {}, 'fork-a': {}, 'fork-b': {}, other: {} };
  for (let i = 0; i < 6; i++) {
    const text = makeVerilog(`nq${i}`);
    repos.base![`m${i}.v`] = text;
    repos['fork-a']![`m${i}.v`] = editLines(text, 1 + i, 'fa');
    repos['fork-b']![`m${i}.v`] = editLines(text, 6 + i, 'fb');
    repos.other![`u${i}.v`] = makeVerilog(`unrelated${i}`);
  }
  for (const f of REAL) {
    const text = readFileSync(f, 'utf8');
    repos.base![basename(f)] = text;
    repos.other![basename(f)] = text.replace(/\n/, '\n// local copy\n');
  }
  return Object.entries(repos).map(([name, files]) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
    return d;
  });
}

const policy = writeKeepUnlicensedConfig(root);
const template = join(root, 'template.db');
let reference: Record<string, unknown[]> = {};
let refSummary: Record<string, any> = {};

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.status, 0, `${what} failed: ${r.stderr}`);
  return r.stdout;
}

/** Every row a rebuild stores, caches aside (a queued run also holds the shards' rows for documents the global stages dropped) and the generation's stats (counters say where work ran). */
function rebuildRows(db: string): Record<string, unknown[]> {
  const rows = storedRows(db, ['stage_memo', 'verify_cache', 'blobs', 'generations']);
  const g = new Database(db, { readonly: true });
  try {
    rows.generationConfigs = g.prepare('SELECT id, status, config FROM generations ORDER BY id').all();
  } finally {
    g.close();
  }
  return rows;
}

function nearDedupClusters(db: string): number {
  const g = new Database(db, { readonly: true });
  try {
    return g.prepare("SELECT count(DISTINCT cluster) FROM dup_clusters WHERE kind = 'near-duplicate'").pluck().get() as number;
  } finally {
    g.close();
  }
}

before(() => {
  const repos = writeMaterial(join(root, 'src'));
  ok(runCli(['--db', template, 'crawl', 'dir', ...repos]), 'crawl');
  const db = join(root, 'ref.db');
  copyFileSync(template, db);
  refSummary = JSON.parse(ok(runCli(['--db', db, 'rebuild', '--no-verify', '--config', policy, '--json']), 'in-process rebuild'));
  reference = rebuildRows(db);
  assert.ok(nearDedupClusters(db) >= 6, `the material forms near-duplicate clusters (${nearDedupClusters(db)})`);
});

async function queuedRebuild(name: string, workers: number, extra: string[] = [], config = policy): Promise<{ db: string; summary: Record<string, any> }> {
  const redis = await startTestRedis();
  const started = Array.from({ length: workers }, () => startWorker(redis.url));
  try {
    const db = join(root, `${name}.db`);
    copyFileSync(template, db);
    const args = ['--db', db, 'rebuild', '--no-verify', '--config', config, '--json', '--shard-files', '7', '--queue', redis.url, '--store', join(root, `${name}-store`), ...extra];
    const summary = JSON.parse(ok(await runCliAsync(args), `${name}: queued rebuild`)) as Record<string, any>;
    return { db, summary };
  } finally {
    for (const w of started) await w.stop();
    await redis.stop();
  }
}

test('rebuild --queue: near-dedup takes every signature from the shards, same clusters and rows as in-process', async () => {
  const ref = refSummary.stages['near-dedup'];
  assert.ok((ref.counters?.['signatures-computed'] ?? 0) > 0, `in-process near-dedup signs itself: ${JSON.stringify(ref)}`);
  const { db, summary } = await queuedRebuild('sig', 2);
  assert.ok(summary.queue.shards >= 5, `several shards: ${summary.queue.shards}`);
  assert.deepEqual(rebuildRows(db), reference, 'the queued rebuild stored something else than the in-process one');
  const nd = summary.stages['near-dedup'];
  assert.equal(nd.counters?.['signatures-computed'] ?? 0, 0, `the coordinator signed documents itself: ${JSON.stringify(nd)}`);
  assert.equal(nd.counters?.['signature-memo-hits'], ref.counters['signatures-computed'], 'every signature came from the shards');
  // The bucket walk ran in 4 band-partition jobs (the default); the coordinator only union-found their
  // edges and settled the pairs near the threshold exactly (hybrid), as clusterBands does.
  const bands = summary.queue.nearDedupBands;
  assert.equal(bands?.partitions, 4, JSON.stringify(summary.queue));
  assert.ok(bands.docs > 0 && bands.edges > 0, JSON.stringify(bands));
  assert.ok(bands.undecided > 0, `the material has pairs near the threshold (hybrid's exact check): ${JSON.stringify(bands)}`);
  assert.equal(nd.counters['band-edges-merged'], bands.edges, JSON.stringify(nd));
  // Per-band files: each job read the document list, its own bands' keys and its bucket members'
  // signatures; four jobs reading the whole set each (the old single input) would read 4 × setBytes.
  assert.ok(bands.setBytes > 0 && bands.bytesRead > 0 && bands.bytesRead < 4 * bands.setBytes, JSON.stringify(bands));
});

test('rebuild --queue --no-shard-signatures --band-partitions 0: the coordinator signs and walks the buckets (the counters are real), same rows', async () => {
  const { db, summary } = await queuedRebuild('nosig', 1, ['--no-shard-signatures', '--band-partitions', '0']);
  const nd = summary.stages['near-dedup'];
  assert.equal(nd.counters?.['signature-memo-hits'] ?? 0, 0, JSON.stringify(nd));
  assert.equal(nd.counters?.['signatures-computed'], refSummary.stages['near-dedup'].counters['signatures-computed']);
  assert.equal(nd.counters?.['band-edges-merged'], undefined);
  assert.equal(summary.queue.nearDedupBands, undefined);
  assert.deepEqual(rebuildRows(db), reference);
});

test('rebuild --queue: band partitions give the in-process clusters under every verify mode and an uneven band split', async () => {
  for (const verify of ['none', 'estimate', 'exact']) {
    const dir = join(root, `verify-${verify}`);
    mkdirSync(dir, { recursive: true });
    const config = writeKeepUnlicensedConfig(dir, { nearDedup: { verify } });
    const ref = join(dir, 'ref.db');
    copyFileSync(template, ref);
    ok(runCli(['--db', ref, 'rebuild', '--no-verify', '--config', config]), `${verify}: in-process rebuild`);
    const { db, summary } = await queuedRebuild(`verify-${verify}`, 1, ['--band-partitions', '3'], config);
    assert.equal(summary.queue.nearDedupBands?.partitions, 3, JSON.stringify(summary.queue));
    if (verify === 'exact') assert.ok(summary.queue.nearDedupBands.undecided > 0 && summary.queue.nearDedupBands.edges === 0);
    // Without an estimate no job reads a signature: only the document list and its bands' key files.
    const b = summary.queue.nearDedupBands;
    if (verify !== 'estimate') assert.ok(b.signaturesRead === 0 && b.bytesRead < b.setBytes, `${verify}: ${JSON.stringify(b)}`);
    assert.ok(nearDedupClusters(db) > 0, verify);
    assert.deepEqual(rebuildRows(db), rebuildRows(ref), `verify ${verify}: the queued rebuild stored something else`);
  }
});

test('rebuild --queue: a worker SIGKILLed inside a band-partition job; the job runs again elsewhere, same rows', async () => {
  const redis = await startTestRedis();
  // The victim holds each finished partition 30 s before publishing it: it dies with one unpublished.
  const victim = startWorker(redis.url, { INCORPUS_DEBUG_BANDS_DELAY_MS: '30000' });
  let rescuer: TestWorker | null = null;
  try {
    const db = join(root, 'kill.db');
    const store = join(root, 'kill-store');
    copyFileSync(template, db);
    const rebuilding = runCliAsync(['--db', db, 'rebuild', '--no-verify', '--config', policy, '--json', '--shard-files', '7', '--queue', redis.url, '--store', store]);
    const bands = join(store, 'near-dedup-bands');
    const started = await bandJobStarted(bands);
    assert.ok(started, 'a band-partition job started on the victim');
    await victim.killGroup();
    rescuer = startWorker(redis.url);
    const r = await rebuilding;
    const summary = JSON.parse(ok(r, 'queued rebuild after the kill')) as Record<string, any>;
    assert.equal(summary.queue.nearDedupBands?.partitions, 4);
    assert.match(rescuer.log(), /near-dedup-bands-[0-9a-f]+: \d+ items/, 'the rescuer ran the partitions');
    assert.deepEqual(rebuildRows(db), reference, 'the rebuild after the kill stored something else than the in-process one');
  } finally {
    await victim.stop();
    await (rescuer as TestWorker | null)?.stop();
    await redis.stop();
  }
});

test('rebuild --queue: Redis crashes inside the band-partition pass and restarts from its append-only file; the run completes, same rows', async () => {
  const redis = await startTestRedis({ appendonly: true });
  // Each partition is held 1.5 s before publishing, so the crash lands while partitions are in flight.
  const workers = [0, 1].map(() => startWorker(redis.url, { INCORPUS_DEBUG_BANDS_DELAY_MS: '1500' }));
  try {
    const db = join(root, 'redis-bands.db');
    const store = join(root, 'redis-bands-store');
    copyFileSync(template, db);
    const rebuilding = runCliAsync(['--db', db, 'rebuild', '--no-verify', '--config', policy, '--json', '--shard-files', '7', '--queue', redis.url, '--store', store]);
    const bands = join(store, 'near-dedup-bands');
    const started = await bandJobStarted(bands);
    assert.ok(started, 'a band-partition job started');
    const published = readdirSync(bands).filter((f) => f.endsWith('.done')).length;
    assert.ok(published < 4, `the crash lands before every partition is published (${published} of 4 were)`);
    await redis.crashAndRestart();
    const summary = JSON.parse(ok(await rebuilding, 'queued rebuild after the Redis crash')) as Record<string, any>;
    assert.equal(summary.queue.nearDedupBands?.partitions, 4, JSON.stringify(summary.queue));
    assert.deepEqual(rebuildRows(db), reference, 'the rebuild after the Redis crash stored something else than the in-process one');
  } finally {
    for (const w of workers) await w.stop();
    await redis.stop();
  }
});

/** Waits (up to 60 s) until a band-partition job writes its temporary output in `bands`; false if none did. */
async function bandJobStarted(bands: string): Promise<boolean> {
  for (let i = 0; i < 1200; i++) {
    if (existsSync(bands) && readdirSync(bands).some((f) => f.includes('.tmp-'))) return true;
    await sleep(50);
  }
  return false;
}
