/**
 * `npm run bench:scale-out`: rebuild throughput through the queue with 1, 2
 * and 4 real worker processes on this machine, the queue overhead per job,
 * and a paper estimate of a 10 TB rebuild from the measured per-shard figures.
 * Material: Yosys's Verilog libraries and newlib's headers (Debian packages),
 * one repository per folder. SCALE_OUT_FILES caps the files (default 60),
 * SCALE_OUT_SHARD_FILES sizes a shard (default 10), SCALE_OUT_WORKERS lists
 * the worker counts (default 1,2,4). Each worker runs one tool process at a
 * time (verify.processes 1), so n workers use n cores.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir, runCli, writeKeepUnlicensedConfig } from '../tests/helpers.js';
import { runCliAsync, startWorker } from '../tests/queue/cluster.js';
import { startTestRedis } from '../tests/queue/redis-server.js';
import { connectRedis, parseQueueUrl, QUEUE_NAME } from '../queue/queue-url.js';
import { openJobStore } from '../queue/store-dir.js';

const MAX_FILES = Number(process.env.SCALE_OUT_FILES ?? 60);
const WORKERS = (process.env.SCALE_OUT_WORKERS ?? '1,2,4').split(',').map(Number);
const SHARD_FILES = Number(process.env.SCALE_OUT_SHARD_FILES ?? 10);
/** Assumed price of one vCPU-hour (on-demand general-purpose cloud, 2025 list prices ~$0.02–0.05). */
const USD_PER_CORE_HOUR = 0.04;

function material(root: string): { repos: string[]; files: number; bytes: number } {
  const folders = ['/usr/share/yosys', ...readdirSync('/usr/share/yosys').map((d) => join('/usr/share/yosys', d)), '/usr/include/newlib', '/usr/include/newlib/sys', '/usr/include/newlib/machine'];
  const repos: string[] = [];
  let files = 0;
  let bytes = 0;
  for (const dir of folders) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.(v|h)$/.test(n) && statSync(join(dir, n)).isFile());
    } catch {
      continue;
    }
    if (names.length === 0 || files >= MAX_FILES) continue;
    const repo = join(root, `${basename(dir)}-${repos.length}`);
    mkdirSync(repo, { recursive: true });
    for (const n of names.slice(0, MAX_FILES - files)) {
      copyFileSync(join(dir, n), join(repo, n));
      bytes += statSync(join(dir, n)).size;
      files++;
    }
    repos.push(repo);
  }
  return { repos, files, bytes };
}

function must(r: { status: number | null; stderr: string; stdout: string }, what: string): string {
  if (r.status !== 0) throw new Error(`${what}: ${r.stderr}`);
  return r.stdout;
}

/** Wall time of `rebuild --queue` with n workers on a fresh copy of the crawled corpus (cold verify cache). */
async function measure(n: number, root: string, template: string, policy: string): Promise<{ wallMs: number; shardMs: number; shards: number; jobMs: number[] }> {
  const redis = await startTestRedis();
  const workers = Array.from({ length: n }, () => startWorker(redis.url));
  try {
    const db = join(root, `w${n}.db`);
    copyFileSync(template, db);
    const t0 = performance.now();
    const out = must(await runCliAsync(['--db', db, 'rebuild', '--config', policy, '--json', '--shard-files', String(SHARD_FILES), '--queue', redis.url, '--store', join(root, `w${n}-store`)]), `rebuild with ${n} workers`);
    const wallMs = performance.now() - t0;
    const s = JSON.parse(out) as { queue: { shards: number; shardMs: number } };
    const jobMs = workers.flatMap((w) => [...w.log().matchAll(/rebuild-[0-9a-f]+: \d+ items in (\d+) ms/g)].map((m) => Number(m[1])));
    return { wallMs, shardMs: s.queue.shardMs, shards: s.queue.shards, jobMs };
  } finally {
    for (const w of workers) await w.stop();
    await redis.stop();
  }
}

/** Round trip of jobs that do nothing (their output is already in the store): BullMQ + Redis + marker check. */
async function queueOverhead(root: string, jobs: number): Promise<number> {
  const redis = await startTestRedis();
  const worker = startWorker(redis.url);
  const store = openJobStore(join(root, 'overhead-store'));
  const ids = Array.from({ length: jobs }, (_, i) => `crawl-overhead${i}`);
  mkdirSync(join(store.root, 'crawl'), { recursive: true });
  for (const id of ids) writeFileSync(join(store.root, 'crawl', `${id}.done`), '{}\n');
  const { Queue } = await import('bullmq');
  const client = await connectRedis(parseQueueUrl(redis.url));
  const queue = new Queue(QUEUE_NAME, { connection: client });
  try {
    await sleep(1500); // worker connected
    const t0 = performance.now();
    await queue.addBulk(ids.map((id) => ({ name: 'crawl', data: { kind: 'crawl', store: store.root, source: 'dir', target: '/nonexistent', maxBytes: 1 }, opts: { jobId: id, removeOnComplete: true } })));
    for (;;) {
      const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed');
      if ((c.waiting ?? 0) + (c.active ?? 0) === 0) break;
      await sleep(5);
    }
    return (performance.now() - t0) / jobs;
  } finally {
    await queue.close();
    client.disconnect();
    await worker.stop();
    await redis.stop();
  }
}

async function main(): Promise<void> {
  const root = makeTempDir('incorpus-bench-scale-');
  const m = material(join(root, 'src'));
  const policy = writeKeepUnlicensedConfig(root);
  const queuedPolicy = writeKeepUnlicensedConfig(join(root, 'src'), { verify: { processes: 1 } });
  const template = join(root, 'template.db');
  must(runCli(['--db', template, 'crawl', 'dir', ...m.repos]), 'crawl');
  console.log(`scale-out: ${m.files} real files (${(m.bytes / 1e6).toFixed(2)} MB) in ${m.repos.length} repositories, shards of ${SHARD_FILES} files; machine shared with other work: every figure is a lower bound`);
  const t0 = performance.now();
  must(runCli(['--db', join(root, 'template-inproc.db'), 'crawl', 'dir', ...m.repos]), 'crawl');
  must(runCli(['--db', join(root, 'template-inproc.db'), 'rebuild', '--config', policy]), 'in-process rebuild');
  const inProcMs = performance.now() - t0;
  console.log(`  in-process rebuild (anchor, same machine): ${(inProcMs / 1000).toFixed(1)} s, ${(m.files / (inProcMs / 1000)).toFixed(1)} files/s`);
  let perShardMs = 0;
  let oneWorkerMs = 0;
  for (const n of WORKERS) {
    const r = await measure(n, root, template, queuedPolicy);
    if (n === WORKERS[0]) oneWorkerMs = r.wallMs;
    const meanJob = r.jobMs.reduce((a, b) => a + b, 0) / Math.max(1, r.jobMs.length);
    if (n === 1) perShardMs = meanJob;
    console.log(`  ${n} worker(s): ${(r.wallMs / 1000).toFixed(1)} s wall (${(r.shardMs / 1000).toFixed(1)} s shard pass, ${r.shards} shards), ${(m.files / (r.wallMs / 1000)).toFixed(1)} files/s, speed-up ${(oneWorkerMs / r.wallMs).toFixed(2)}×, mean shard job ${(meanJob / 1000).toFixed(2)} s`);
  }
  const overhead = await queueOverhead(root, 300);
  console.log(`  queue overhead per job (300 no-op jobs, 1 worker, loopback Redis): ${overhead.toFixed(2)} ms`);
  if (perShardMs > 0) {
    const bytesPerShard = (m.bytes / m.files) * SHARD_FILES;
    const tb = 10e12;
    const shards = tb / bytesPerShard;
    // One worker runs one tool process at a time: one core-second per worker-second.
    const coreHours = (shards * perShardMs / 1000) / 3600;
    console.log(`  paper estimate, 10 TB of such source: ${shards.toExponential(2)} shards of ${SHARD_FILES} files (${(bytesPerShard / 1e3).toFixed(0)} kB), ` +
      `${coreHours.toExponential(2)} core-hours of shard work at the measured ${(perShardMs / 1000).toFixed(2)} s/shard on one core, ` +
      `≈ $${(coreHours * USD_PER_CORE_HOUR).toExponential(2)} at $${USD_PER_CORE_HOUR}/core-hour; queue overhead ${(shards * overhead / 3.6e6).toFixed(1)} h of Redis time in total. ` +
      `Real shards hold a few thousand files; the coordinator's global stages are not in this figure.`);
  }
}

await main();
