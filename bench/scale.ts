/**
 * `npm run bench:scale [-- --sizes 10k,100k,1M] [--datasketch DIR] [--work DIR] [--threads N[,M…]] [--no-warm] [--no-export] [--no-signatures]`
 *
 * Scale on one machine (issue 13): for each size, a corpus generated from real
 * Debian-packaged sources with planted exact and near duplicates
 * (bench/scale-corpus.ts, cached in --work across runs), then a full
 * `rebuild --no-verify` with nothing memoized, the same rebuild again with
 * nothing changed (the current generation is found up to date: no stage runs),
 * once more with `--force` (a new generation, every per-document result from
 * the stage memo), and an export — each in a child process:
 * wall time, files/s, MB/s, peak RSS (VmHWM), peak scratch/temp disk (the
 * child's open files besides the corpus: WAL, near-dedup scratch, SQLite temp
 * files, which are unlinked while open), corpus size. Then the targets, and
 * near-dedup signatures per core against datasketch on the same real files.
 * `--threads 1,2` runs the cold rebuild once per thread count and prints the
 * speed-up (target: 2 threads ≥ 1.8× one); the unchanged rebuild and the
 * export use the last count. Every run also prints its CPU time (user+sys of
 * all threads, and the main thread's) and the worker stages' thread CPU, which
 * a shared machine barely changes, beside the wall times, which it stretches.
 * Default sizes 10k,100k (minutes); 1M takes about an hour on 2 cores.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { GENERATOR_VERSION, generateCorpus, loadSourcePool, type SourceFile } from './scale-corpus.js';
import { compareSignatures } from './signature-vs-datasketch.js';

interface Args {
  sizes: number[];
  work: string;
  /** Cold rebuilds run once per count; the rest use the last. */
  threads: number[];
  datasketch: string | null;
  warm: boolean;
  export: boolean;
  signatures: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = (s: string): number => {
    const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
    if (!m) throw new Error(`--sizes: cannot read "${s}" (use e.g. 10k,100k,1M)`);
    return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1));
  };
  return {
    sizes: (get('--sizes') ?? '10k,100k').split(',').map(size),
    work: get('--work') ?? join(tmpdir(), 'incorpus-scale'),
    threads: (get('--threads') ?? '2').split(',').map((t) => {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--threads: "${t}" is not a positive whole number (use e.g. 2 or 1,2)`);
      return n;
    }),
    datasketch: get('--datasketch') ?? process.env.INCORPUS_DATASKETCH ?? null,
    warm: !argv.includes('--no-warm'),
    export: !argv.includes('--no-export'),
    signatures: !argv.includes('--no-signatures'),
  };
}

interface ChildRun {
  ms: number;
  maxRssKb: number;
  seen?: number;
  kept?: number;
  droppedBy?: Record<string, number>;
  stages?: Record<string, number>;
  /** Worker stages' thread CPU ms. */
  stageCpu?: Record<string, number>;
  userMs: number;
  sysMs: number;
  mainCpuMs: number | null;
  records?: number;
  outBytes?: number;
  /** Peak bytes of the child's open files other than the corpus itself. */
  scratchPeak: number;
}

/** Runs bench/scale-child.js and samples its open files twice a second for the scratch/temp disk peak. */
function runChild(mode: string, dbPath: string, threads: number, work: string): Promise<ChildRun> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./scale-child.js', import.meta.url)), mode, dbPath, String(threads), work], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setInterval(() => (peak = Math.max(peak, openScratchBytes(child.pid!, dbPath))), 500);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${mode} of ${dbPath} exited with ${code}`));
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as Omit<ChildRun, 'scratchPeak'>), scratchPeak: peak });
    });
  });
}

function openScratchBytes(pid: number, dbPath: string): number {
  let total = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (!target.startsWith('/') || target === dbPath || /\.(?:js|node|json|so[.\d]*)$/.test(target) || target.startsWith('/dev/')) continue;
        const st = statSync(`/proc/${pid}/fd/${fd}`);
        if (st.isFile()) total += st.size;
      } catch {
        // The file closed meanwhile.
      }
    }
  } catch {
    // The process is gone.
  }
  return total;
}

const mb = (b: number): string => (b / 1e6).toFixed(1);
const label = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const size = (p: string): number => ['', '-wal'].reduce((a, s) => a + (existsSync(p + s) ? statSync(p + s).size : 0), 0);

/** The cached corpus of a size, generated when missing (written to a temporary name first, so a killed run leaves none half-made). */
function corpusFor(n: number, args: Args, pool: () => SourceFile[]): { dbPath: string; files: number; bytes: number; generatedS: number | null } {
  const dbPath = join(args.work, `scale-${label(n)}-g${GENERATOR_VERSION}.db`);
  const meta = `${dbPath}.json`;
  if (existsSync(dbPath) && existsSync(meta)) return { dbPath, ...(JSON.parse(readFileSync(meta, 'utf8')) as { files: number; bytes: number }), generatedS: null };
  const tmp = `${dbPath}.partial`;
  for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true });
  const t = performance.now();
  const g = generateCorpus(tmp, pool(), n, (k) => process.stderr.write(`  generating ${label(n)}: ${k} files\r`));
  for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true });
  renameSync(tmp, dbPath);
  const generatedS = (performance.now() - t) / 1000;
  writeFileSync(meta, JSON.stringify({ files: g.files, bytes: g.bytes, repos: g.repos, planted: g.planted }));
  console.log(`  generated ${label(n)}: ${g.files} files, ${mb(g.bytes)} MB, ${g.repos} repositories, planted ${g.planted.exactCopies} exact and ${g.planted.nearCopies} near copies, in ${generatedS.toFixed(0)} s`);
  return { dbPath, files: g.files, bytes: g.bytes, generatedS };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(args.work, { recursive: true });
  // The real trees are walked only when a corpus must be generated or signatures compared.
  let loaded: ReturnType<typeof loadSourcePool> | null = null;
  const sources = (): SourceFile[] => {
    if (!loaded) {
      loaded = loadSourcePool(args.work);
      console.log(`  ${loaded.files.length} real source files from ${loaded.trees.join(', ')}${loaded.missing.length ? `; absent: ${loaded.missing.join(', ')}` : ''}`);
    }
    return loaded.files;
  };
  const last = args.threads[args.threads.length - 1]!;
  console.log(`incorpus bench:scale — sizes ${args.sizes.map(label).join(', ')}, cold rebuild with ${args.threads.join(' and ')} worker threads, work dir ${args.work} (the machine may be shared: read wall times as upper bounds, CPU times barely move)`);
  const results: Array<{ n: number; files: number; bytes: number; cold: ChildRun; warm: ChildRun | null; memo: ChildRun | null; exp: ChildRun | null; dbBytes: number }> = [];
  for (const n of args.sizes) {
    const c = corpusFor(n, args, sources);
    const before = size(c.dbPath);
    const colds: Array<{ threads: number; run: ChildRun }> = [];
    for (const threads of args.threads) colds.push({ threads, run: await runChild('rebuild-cold', c.dbPath, threads, args.work) });
    const cold = colds[colds.length - 1]!.run;
    const dbBytes = size(c.dbPath);
    const warm = args.warm ? await runChild('rebuild-warm', c.dbPath, last, args.work) : null;
    const memo = args.warm ? await runChild('rebuild-memo', c.dbPath, last, args.work) : null;
    const exp = args.export ? await runChild('export', c.dbPath, last, args.work) : null;
    results.push({ n, files: c.files, bytes: c.bytes, cold, warm, memo, exp, dbBytes });
    console.log(`${label(n).padStart(5)}: ${c.files} files, ${mb(c.bytes)} MB, corpus ${mb(before)} → ${mb(dbBytes)} MB; kept ${cold.kept}/${cold.seen}`);
    for (const { threads, run } of colds) {
      const s = run.ms / 1000;
      console.log(
        `       cold rebuild --no-verify, ${threads} thread${threads > 1 ? 's' : ''}: ${s.toFixed(1)} s, ${(c.files / s).toFixed(0)} files/s, ${mb(c.bytes / s)} MB/s (target ≥ 10 on 2 cores), ` +
          `peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MB, scratch+temp disk peak ${mb(run.scratchPeak)} MB`,
      );
      console.log(`         CPU ${cpuLine(run, c.bytes)}`);
      console.log(`         stage time (s; worker stages: summed over threads): ${Object.entries(run.stages ?? {}).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}`);
      console.log(`         worker stages' thread CPU (s): ${Object.entries(run.stageCpu ?? {}).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ') || 'not measured'}`);
    }
    const one = colds.find((r) => r.threads === 1);
    const two = colds.find((r) => r.threads === 2);
    if (one && two) console.log(`       2 threads / 1 thread: ${(one.run.ms / two.run.ms).toFixed(2)}× faster (target ≥ 1.8×)`);
    console.log(`       drops: ${Object.entries(cold.droppedBy ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (warm) {
      console.log(`       rebuild again, nothing changed (${last} threads): ${(warm.ms / 1000).toFixed(2)} s — ${(cold.ms / warm.ms).toFixed(1)}× faster (target ≥ 20×), peak RSS ${(warm.maxRssKb / 1024).toFixed(0)} MB`);
      console.log(`         CPU ${cpuLine(warm, c.bytes)}; ${((cold.userMs + cold.sysMs) / Math.max(1, warm.userMs + warm.sysMs)).toFixed(1)}× less CPU than cold (the generation is up to date: no stage runs)`);
    }
    if (memo) {
      console.log(`       rebuild --force, nothing changed (${last} threads; a new generation, every per-document result from the stage memo): ${(memo.ms / 1000).toFixed(2)} s — ${(cold.ms / memo.ms).toFixed(1)}× faster, peak RSS ${(memo.maxRssKb / 1024).toFixed(0)} MB`);
      console.log(`         CPU ${cpuLine(memo, c.bytes)}; ${((cold.userMs + cold.sysMs) / Math.max(1, memo.userMs + memo.sysMs)).toFixed(1)}× less CPU than cold`);
    }
    if (exp) {
      console.log(`       export (JSONL, ${last} threads): ${(exp.ms / 1000).toFixed(1)} s, ${exp.records} records, ${mb(exp.outBytes ?? 0)} MB, ${mb((c.bytes / exp.ms) * 1000)} MB/s of corpus, peak RSS ${(exp.maxRssKb / 1024).toFixed(0)} MB, temp disk peak ${mb(exp.scratchPeak)} MB`);
      console.log(`         CPU ${cpuLine(exp, c.bytes)}`);
    }
  }
  targets(results);
  if (!args.signatures) return;
  const sample = sources().filter((f) => !f.abs.endsWith('Makefile') && !f.abs.endsWith('Kconfig'));
  const picked = sample.filter((_, i) => i % Math.max(1, Math.floor(sample.length / 3000)) === 0).slice(0, 3000);
  const cmp = compareSignatures(picked.map((f) => f.abs), args.datasketch);
  console.log(`near-dedup signatures, one core, ${cmp.files} real files (${mb(cmp.bytes)} MB), text → 256 values: ours one-permutation ${cmp.oursOphMBps.toFixed(1)} MB/s, ours 256-permutation MinHash ${cmp.oursMinhashMBps.toFixed(1)} MB/s`);
  if (cmp.datasketch) {
    console.log(
      `  datasketch MinHash(num_perm=256).update_batch on the same files: ${cmp.datasketch.totalMBps.toFixed(2)} MB/s with tokenizing (${cmp.datasketch.signaturesOnlyMBps.toFixed(2)} MB/s signatures alone) — ours ${(cmp.oursOphMBps / cmp.datasketch.totalMBps).toFixed(1)}× (target ≥ 10×)`,
    );
  } else console.log(`  datasketch column skipped: ${cmp.skipped}`);
}

/** A run's CPU: user+sys of all threads, the main thread's share, and CPU seconds per MB of corpus (load-insensitive). */
function cpuLine(r: ChildRun, bytes: number): string {
  const total = (r.userMs + r.sysMs) / 1000;
  const main = r.mainCpuMs === null ? 'main thread not measured' : `main thread ${(r.mainCpuMs / 1000).toFixed(1)} s, other threads ${(total - r.mainCpuMs / 1000).toFixed(1)} s`;
  return `user ${(r.userMs / 1000).toFixed(1)} s + sys ${(r.sysMs / 1000).toFixed(1)} s = ${total.toFixed(1)} s over ${(r.ms / 1000).toFixed(1)} s wall (${((total * 1000 * 100) / r.ms).toFixed(0)} %; ${main}), ${((total / bytes) * 1e6).toFixed(3)} CPU s/MB`;
}

/** The issue's targets, from the sizes that ran. */
function targets(rs: Array<{ n: number; bytes: number; cold: ChildRun }>): void {
  const by = new Map(rs.map((r) => [r.n, r]));
  const lines: string[] = [];
  const m1 = by.get(1_000_000);
  const k100 = by.get(100_000);
  if (m1) lines.push(`peak RSS at 1M ${(m1.cold.maxRssKb / 1024).toFixed(0)} MB (target ≤ 1536)`);
  if (m1 && k100) lines.push(`1M / 100k peak RSS ${(m1.cold.maxRssKb / k100.cold.maxRssKb).toFixed(2)}× (target ≤ 1.2×)`);
  for (let i = 1; i < rs.length; i++) {
    const a = rs[i - 1]!;
    const b = rs[i]!;
    lines.push(`${label(b.n)} / ${label(a.n)}: ${(b.n / a.n).toFixed(0)}× files in ${(b.cold.ms / a.cold.ms).toFixed(1)}× time (target ≤ 1.1× the file ratio)`);
  }
  const best = Math.max(...rs.map((r) => r.bytes / 1e6 / (r.cold.ms / 1000)));
  lines.push(`best throughput ${best.toFixed(1)} MB/s (target ≥ 10 MB/s on 2 cores)`);
  console.log(`targets: ${lines.join('; ')}`);
}

await main();
