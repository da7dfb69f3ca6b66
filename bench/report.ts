/**
 * `npm run bench:report`: how long `incorpus report` takes and how much memory
 * it needs, on a real-source corpus and on the same corpus grown to 100k and
 * 1M files. The seed is real code nobody here wrote (Debian's yosys library,
 * newlib headers, verilator examples and manual), crawled and rebuilt with
 * verification, so every verdict's details are what the stages really record;
 * the larger sizes copy those verdicts in SQL (bench/report-scale-store.ts).
 * Each report runs in its own process, so its peak RSS is its own. `incorpus
 * stats --json` on the same database is printed beside it as the reference:
 * the text summary the report replaces.
 *
 * Env: INCORPUS_BENCH_REPORT_FILES=100000,1000000 (sizes), INCORPUS_BENCH_REPORT_SEED=path
 * (reuse a rebuilt seed database instead of crawling and rebuilding one).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCorpus } from '../corpus/db.js';
import { readExportManifest } from '../report/export-manifest.js';
import { writeReport, type ReportSummary } from '../report/write-report.js';
import { peakRssKb } from './peak-rss.js';
import { corpusSize, readSeed, replicateGeneration } from './report-scale-store.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const SIZES = (process.env.INCORPUS_BENCH_REPORT_FILES ?? '100000,1000000').split(',').map(Number).filter((n) => n > 0);
const TREES = [
  ['/usr/share/yosys', 'debian/yosys'],
  ['/usr/include/newlib', 'debian/newlib'],
  ['/usr/share/verilator/examples', 'debian/verilator-examples'],
] as const;
const PDF = '/usr/share/doc/verilator/verilator.pdf';

function cli(db: string, args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, '--db', db, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`incorpus ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - t, stdout: r.stdout };
}

/** Crawls and rebuilds the real-source seed (verification on, synthesis off), with an export. */
function buildSeed(dir: string): string {
  const db = join(dir, 'seed.db');
  for (const [path, repo] of TREES) {
    if (existsSync(path)) cli(db, ['crawl', 'dir', path, '--repo', repo]);
    else console.log(`(skipped ${path}: not installed)`);
  }
  if (existsSync(PDF)) cli(db, ['crawl', 'pdf', PDF, '--ocr', 'off']);
  const config = join(dir, 'rebuild.json');
  writeFileSync(config, JSON.stringify({ verify: { synth: false } }));
  const t = cli(db, ['rebuild', '--config', config]);
  console.log(`seed: crawled and rebuilt in ${(t.ms / 1000).toFixed(1)} s`);
  return db;
}

interface Measured {
  summary: ReportSummary;
  peakRssKb: number;
  wallMs: number;
}

/** One report in a fresh process (`--child`), so its peak RSS is the report's alone. */
function measureReport(db: string, out: string, exportDir: string): Measured {
  const t = performance.now();
  const r = spawnSync(process.execPath, [SELF, '--child', db, out, exportDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`report child failed: ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as Omit<Measured, 'wallMs'>), wallMs: performance.now() - t };
}

async function child(db: string, out: string, exportDir: string): Promise<void> {
  const c = openCorpus(db, { readonly: true });
  const manifest = readExportManifest(exportDir);
  const summary = await writeReport(c, { outDir: out, export: manifest ? { manifest, from: exportDir } : null });
  c.close();
  process.stdout.write(JSON.stringify({ summary, peakRssKb: peakRssKb() }));
}

function row(label: string, db: string, dir: string, exportDir: string): void {
  const c = openCorpus(db, { readonly: true });
  const size = corpusSize(c);
  c.close();
  const m = measureReport(db, join(dir, 'report'), exportDir);
  const stats = cli(db, ['stats', '--json']);
  const t = m.summary.timings;
  console.log(
    `| ${label} | ${size.files.toLocaleString('en-US')} | ${(size.dbBytes / 1e6).toFixed(0)} MB | ${(m.wallMs / 1000).toFixed(2)} s | ${(t.gatherMs / 1000).toFixed(2)} s | ${(t.chartsMs / 1000).toFixed(2)} s | ${(m.peakRssKb / 1024).toFixed(0)} MB | ${(m.summary.bytes / 1e3).toFixed(0)} kB, ${m.summary.charts} charts | ${(stats.ms / 1000).toFixed(2)} s |`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-report-'));
  const seedDb = process.env.INCORPUS_BENCH_REPORT_SEED || buildSeed(dir);
  const exportDir = join(dir, 'export');
  cli(seedDb, ['export', '--out', exportDir, '--no-report']);
  console.log('incorpus bench: corpus report (report time = whole process: start, SQL, charts, write; 2 cores shared with other jobs, read as upper bounds)');
  console.log('| corpus | files | database | report | of it SQL | of it charts | peak RSS | page | stats --json (reference) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  row('real sources (seed)', seedDb, dir, exportDir);
  const big = join(dir, 'big.db');
  copyFileSync(seedDb, big);
  for (const suffix of ['-wal', '-shm']) if (existsSync(seedDb + suffix)) copyFileSync(seedDb + suffix, big + suffix);
  const db = openCorpus(big);
  const seed = readSeed(db);
  const seedFiles = corpusSize(db).files;
  let copies = 0;
  for (const target of SIZES) {
    const want = Math.max(copies, Math.round(target / seedFiles) - 1);
    const t = performance.now();
    replicateGeneration(db, seed, { from: copies + 1, to: want });
    copies = want;
    const grown = `seed × ${copies + 1} (grown in ${((performance.now() - t) / 1000).toFixed(0)} s)`;
    row(grown, big, dir, exportDir);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();
