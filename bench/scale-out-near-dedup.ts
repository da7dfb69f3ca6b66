/**
 * The near-dedup part of `npm run bench:scale-out`: what the coordinator of
 * `rebuild --queue` still spends on near-dedup, three ways on one corpus
 * (`rebuild --no-verify`, 2 workers, fresh copy of the crawled corpus each
 * time): the coordinator signs and walks the buckets itself
 * (`--no-shard-signatures --band-partitions 0`, the code before issue 14's
 * flows), signatures from the shards, and signatures from the shards plus the
 * bucket walk in 4 band-partition jobs. Prints the coordinator's CPU (GNU
 * time), its rebuild phase, and near-dedup's own figures: the signing
 * threads' CPU (stage cpuMs) and pass 2's CPU on the main thread
 * (cluster-cpu-ms), with the verdicts compared to the in-process rebuild's.
 * Material: the headers under /usr/include (glibc, Linux UAPI, libstdc++, …:
 * real code with real near-duplicates across architectures and versions),
 * one repository per top-level folder; SCALE_OUT_NEAR_FILES caps the files
 * (default 3000; ~22,000 there are on this machine).
 */
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeTempDir, runCli, writeKeepUnlicensedConfig } from '../tests/helpers.js';
import { currentVerdicts as verdicts, startWorker } from '../tests/queue/cluster.js';
import { startTestRedis } from '../tests/queue/redis-server.js';

const NEAR_FILES = Number(process.env.SCALE_OUT_NEAR_FILES ?? 3000);
const SHARD_FILES = 250;

function headers(root: string, max: number): string[] {
  const repos = new Map<string, string>();
  let files = 0;
  const walk = (dir: string, repo: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (files >= max) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, repo);
      // Every header: C's `.h` and C++'s extensionless ones (libstdc++'s <vector>, …).
      else if (e.isFile() && statSync(p).size < 200_000) {
        const dest = join(root, repo, relative(join('/usr/include', repo), p));
        mkdirSync(join(dest, '..'), { recursive: true });
        copyFileSync(p, dest);
        repos.set(repo, join(root, repo));
        files++;
      }
    }
  };
  for (const e of readdirSync('/usr/include', { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory()) walk(join('/usr/include', e.name), e.name);
  }
  return [...repos.values()];
}

type Timed = (args: string[]) => Promise<{ status: number | null; stdout: string; stderr: string; wallMs: number; cpuS: number }>;

export async function benchNearDedup(timedCli: Timed): Promise<void> {
  const root = makeTempDir('incorpus-bench-near-');
  const repos = headers(join(root, 'src'), NEAR_FILES);
  const policy = writeKeepUnlicensedConfig(root);
  const template = join(root, 'template.db');
  const crawl = runCli(['--db', template, 'crawl', 'dir', ...repos]);
  if (crawl.status !== 0) throw new Error(`crawl: ${crawl.stderr}`);
  const ref = join(root, 'inproc.db');
  copyFileSync(template, ref);
  const a = await timedCli(['--db', ref, 'rebuild', '--no-verify', '--config', policy, '--json']);
  if (a.status !== 0) throw new Error(`in-process rebuild: ${a.stderr}`);
  const anchor = JSON.parse(a.stdout) as Summary;
  const nd0 = anchor.stages['near-dedup']!;
  console.log(`near-dedup on the coordinator: ${anchor.seen} files of /usr/include (${nd0.seen} reach near-dedup) in ${repos.length} repositories, rebuild --no-verify, shards of ${SHARD_FILES}, 2 workers`);
  console.log(`  in-process: ${(a.wallMs / 1000).toFixed(1)} s wall, ${a.cpuS.toFixed(1)} s CPU; near-dedup signing ${fmt(nd0.cpuMs)} thread CPU, pass 2 ${fmt(nd0.counters?.['cluster-cpu-ms'])} main thread`);
  const expected = verdicts(ref);
  const variants: Array<[string, string[]]> = [
    ['coordinator signs and walks the buckets', ['--no-shard-signatures', '--band-partitions', '0']],
    ['signatures from the shards', ['--band-partitions', '0']],
    ['signatures from the shards, buckets in 4 partition jobs', ['--band-partitions', '4']],
  ];
  for (const [i, [label, extra]] of variants.entries()) {
    const redis = await startTestRedis();
    const workers = [startWorker(redis.url), startWorker(redis.url)];
    try {
      const db = join(root, `v${i}.db`);
      copyFileSync(template, db);
      const r = await timedCli(['--db', db, 'rebuild', '--no-verify', '--config', policy, '--json', '--shard-files', String(SHARD_FILES), '--queue', redis.url, '--store', join(root, `v${i}-store`), ...extra]);
      if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
      const s = JSON.parse(r.stdout) as Summary;
      const nd = s.stages['near-dedup']!;
      const c = nd.counters ?? {};
      const bands = s.queue?.nearDedupBands;
      console.log(`  ${label}: coordinator ${r.cpuS.toFixed(1)} s CPU (its rebuild ${((s.queue?.cpuMs.rebuild ?? 0) / 1000).toFixed(1)} s), ${(r.wallMs / 1000).toFixed(1)} s wall; ` +
        `near-dedup signing ${fmt(nd.cpuMs)} thread CPU (${c['signatures-computed'] ?? 0} signed here, ${c['signature-memo-hits'] ?? 0} from the shards), ` +
        `pass 2 ${fmt(c['cluster-cpu-ms'])} main thread${bands ? ` (${bands.partitions} partition jobs: ${bands.edges} edges, ${bands.undecided} undecided pairs; ${c['exact-checks'] ?? 0} exact checks here)` : ''}; ` +
        `verdicts ${verdicts(db) === expected ? 'identical to' : 'DIFFERENT from'} in-process`);
    } finally {
      for (const w of workers) await w.stop();
      await redis.stop();
    }
  }
}

interface Summary {
  seen: number;
  stages: Record<string, { seen: number; cpuMs?: number; timeMs: number; counters?: Record<string, number> }>;
  queue?: { cpuMs: { rebuild: number }; nearDedupBands?: { partitions: number; edges: number; undecided: number } };
}

const fmt = (ms: number | undefined): string => `${((ms ?? 0) / 1000).toFixed(2)} s`;
