/**
 * `npm run bench:scale-out`: rebuild throughput through the queue with 1, 2
 * and 4 real worker processes on this machine, the queue overhead per job,
 * and a paper estimate of a 10 TB rebuild from the measured per-shard figures.
 * Material: Yosys's Verilog libraries and newlib's headers (Debian packages),
 * one repository per folder. SCALE_OUT_FILES caps the files (default 60),
 * SCALE_OUT_SHARD_FILES sizes a shard (default 10), SCALE_OUT_WORKERS lists
 * the worker counts (default 1,2,4). Each worker and the in-process anchor run
 * one tool process at a time (verify.processes 1), so n workers use n cores
 * and the anchor compares like with like. Every run prints wall and CPU
 * seconds (tools included): the CPU figures survive a loaded machine, the
 * wall ones do not. Then near-dedup's cost on the coordinator
 * (bench/scale-out-near-dedup.ts; SCALE_OUT_ONLY=near-dedup runs only that).
 * Quiet-machine run: docs/scale-out.md.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, makeTempDir, runCli, writeKeepUnlicensedConfig } from '../tests/helpers.js';
import { startWorker } from '../tests/queue/cluster.js';
import { startTestRedis } from '../tests/queue/redis-server.js';
import { connectRedis, parseQueueUrl, QUEUE_NAME } from '../queue/queue-url.js';
import { openJobStore } from '../queue/store-dir.js';
import { benchNearDedup } from './scale-out-near-dedup.js';

const MAX_FILES = Number(process.env.SCALE_OUT_FILES ?? 60);
const WORKERS = (process.env.SCALE_OUT_WORKERS ?? '1,2,4').split(',').map(Number);
const SHARD_FILES = Number(process.env.SCALE_OUT_SHARD_FILES ?? 10);
/** Workers' stall settings: the production defaults (120 s lock), or SCALE_OUT_STALL=short (the tests' 2 s lock, 1 s check). */
const STALL = process.env.SCALE_OUT_STALL === 'short' ? 'short' : 'production';
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

/**
 * The CLI under GNU time: wall and CPU seconds (user + system of the process
 * and every child it waited for — the toolchains under bubblewrap), which
 * load on a shared machine barely changes.
 */
async function timedCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; wallMs: number; cpuS: number }> {
  const out = join(makeTempDir('incorpus-bench-time-'), 'time.txt');
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', out, process.execPath, CLI, ...args], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - t0;
  const [u, sy] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { status, stdout, stderr, wallMs, cpuS: (u ?? NaN) + (sy ?? NaN) };
}

/** CPU seconds of a live process so far: itself, its threads and its waited-for children (/proc/PID/stat utime+stime+cutime+cstime). */
function procCpuS(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14])) / 100;
}

interface Measured {
  wallMs: number;
  shardMs: number;
  shards: number;
  jobMs: number[];
  jobCpuMs: number[];
  coordinatorCpuS: number;
  coordinatorPhases: { shardPass: number; merge: number; rebuild: number };
  workersCpuS: number;
  /** The coordinator's verify counters: tool-runs should be 0 (everything answered from the merged cache). */
  coordinatorVerify: Record<string, number>;
  /** Jobs whose lock lapsed and ran again (workers' `stalled` / `lock renewal failed` lines). */
  stalls: number;
}

/** `rebuild --queue` with n workers on a fresh copy of the crawled corpus (cold verify cache): wall and CPU of the coordinator and of the workers. */
async function measure(n: number, root: string, template: string, policy: string): Promise<Measured> {
  const redis = await startTestRedis();
  const workers = Array.from({ length: n }, () => startWorker(redis.url, {}, STALL));
  try {
    await sleep(1500); // workers connected, their start-up CPU taken before the run
    const idle = workers.map((w) => procCpuS(w.pid));
    const db = join(root, `w${n}.db`);
    copyFileSync(template, db);
    const r = await timedCli(['--db', db, 'rebuild', '--config', policy, '--json', '--shard-files', String(SHARD_FILES), '--queue', redis.url, '--store', join(root, `w${n}-store`)]);
    const out = must(r, `rebuild with ${n} workers`);
    const workersCpuS = workers.reduce((a, w, i) => a + procCpuS(w.pid) - idle[i]!, 0);
    const s = JSON.parse(out) as { queue: { shards: number; shardMs: number; cpuMs: Measured['coordinatorPhases'] }; stages: { verify?: { counters?: Record<string, number> } } };
    const jobs = workers.flatMap((w) => [...w.log().matchAll(/rebuild-[0-9a-f]+: \d+ items in (\d+) ms \(cpu (\d+) ms\)/g)]);
    return {
      wallMs: r.wallMs, shardMs: s.queue.shardMs, shards: s.queue.shards, jobMs: jobs.map((m) => Number(m[1])), jobCpuMs: jobs.map((m) => Number(m[2])),
      coordinatorCpuS: r.cpuS, coordinatorPhases: s.queue.cpuMs, workersCpuS, coordinatorVerify: s.stages.verify?.counters ?? {},
      stalls: workers.reduce((a, w) => a + [...w.log().matchAll(/ stalled: |lock renewal failed/g)].length, 0),
    };
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
  // SCALE_OUT_ONLY=near-dedup: only the near-dedup figures (no toolchains, a few minutes).
  if (process.env.SCALE_OUT_ONLY !== 'near-dedup') await verifyScaleOut();
  await benchNearDedup(timedCli);
}

async function verifyScaleOut(): Promise<void> {
  const root = makeTempDir('incorpus-bench-scale-');
  const m = material(join(root, 'src'));
  const policy = writeKeepUnlicensedConfig(root);
  const queuedPolicy = writeKeepUnlicensedConfig(join(root, 'src'), { verify: { processes: 1 } });
  const template = join(root, 'template.db');
  must(runCli(['--db', template, 'crawl', 'dir', ...m.repos]), 'crawl');
  console.log(`scale-out: ${m.files} real files (${(m.bytes / 1e6).toFixed(2)} MB) in ${m.repos.length} repositories, shards of ${SHARD_FILES} files; machine shared with other work: every figure is a lower bound`);
  copyFileSync(template, join(root, 'inproc.db'));
  // The anchor: the same rebuild without --queue, same tool-process count as one worker (verify.processes 1).
  const a = await timedCli(['--db', join(root, 'inproc.db'), 'rebuild', '--config', queuedPolicy, '--json']);
  must(a, 'in-process rebuild');
  // GNU time misses the tools: the long-lived sandbox helper waits for them, and its own CPU reaches
  // the CLI only if it is reaped; the verify stage counts the tools' CPU from the helper's wait4.
  const anchorToolS = ((JSON.parse(a.stdout).stages?.verify?.counters?.['tool-cpu-ms'] as number | undefined) ?? 0) / 1000;
  console.log(`  in-process rebuild (anchor, same machine): ${(a.wallMs / 1000).toFixed(1)} s wall, ${a.cpuS.toFixed(1)} s CPU (GNU time) + ${anchorToolS.toFixed(1)} s tool CPU (verify's wait4), ${(m.files / (a.wallMs / 1000)).toFixed(1)} files/s`);
  let perShardMs = 0;
  let oneWorkerMs = 0;
  const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
  for (const n of WORKERS) {
    const r = await measure(n, root, template, queuedPolicy);
    if (n === WORKERS[0]) oneWorkerMs = r.wallMs;
    const meanJob = mean(r.jobMs);
    if (n === 1) perShardMs = mean(r.jobCpuMs);
    const p = r.coordinatorPhases;
    console.log(`  ${n} worker(s): ${(r.wallMs / 1000).toFixed(1)} s wall (${(r.shardMs / 1000).toFixed(1)} s shard pass, ${r.shards} shards), ${(m.files / (r.wallMs / 1000)).toFixed(1)} files/s, speed-up ${(oneWorkerMs / r.wallMs).toFixed(2)}×; ` +
      `CPU ${(r.coordinatorCpuS + r.workersCpuS).toFixed(1)} s = workers ${r.workersCpuS.toFixed(1)} s + coordinator ${r.coordinatorCpuS.toFixed(1)} s ` +
      `(shard pass ${(p.shardPass / 1000).toFixed(1)}, merge ${(p.merge / 1000).toFixed(1)}, rebuild ${(p.rebuild / 1000).toFixed(1)}; anchor ${a.cpuS.toFixed(1)} s); ` +
      `mean shard job ${(meanJob / 1000).toFixed(2)} s wall, ${(mean(r.jobCpuMs) / 1000).toFixed(2)} s CPU; ` +
      `coordinator verify: ${r.coordinatorVerify['doc-cache-hits'] ?? 0} doc-cache hits, ${r.coordinatorVerify['tool-runs'] ?? 0} tool runs; ` +
      `${r.jobMs.length} shard jobs finished for ${r.shards} shards, ${r.stalls} stalled/lock-lost (worker stall settings: ${STALL})`);
  }
  const overhead = await queueOverhead(root, 300);
  console.log(`  queue overhead per job (300 no-op jobs, 1 worker, loopback Redis): ${overhead.toFixed(2)} ms`);
  if (perShardMs > 0) {
    // perShardMs is CPU per shard (tools included: queue/rebuild-shard-job.ts adds verify's tool CPU): core-seconds, whatever the load was.
    const bytesPerShard = (m.bytes / m.files) * SHARD_FILES;
    const tb = 10e12;
    const shards = tb / bytesPerShard;
    // One worker runs one tool process at a time: one core-second per worker-second.
    const coreHours = (shards * perShardMs / 1000) / 3600;
    console.log(`  paper estimate, 10 TB of such source: ${shards.toExponential(2)} shards of ${SHARD_FILES} files (${(bytesPerShard / 1e3).toFixed(0)} kB), ` +
      `${coreHours.toExponential(2)} core-hours of shard work at the measured ${(perShardMs / 1000).toFixed(2)} s/shard CPU, ` +
      `≈ $${(coreHours * USD_PER_CORE_HOUR).toExponential(2)} at $${USD_PER_CORE_HOUR}/core-hour; queue overhead ${(shards * overhead / 3.6e6).toFixed(1)} h of Redis time in total. ` +
      `Real shards hold a few thousand files; the coordinator's global stages are not in this figure.`);
  }
}

await main();
