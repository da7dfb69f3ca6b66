/**
 * `npm run bench`: crawl and rebuild throughput on real trees nobody here wrote
 * (Debian's yosys techlibs, newlib headers, CUDA headers, system headers).
 * Each rebuild runs in a child process so its peak RSS is its own.
 * Prints a table; numbers go in the README.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openCorpus } from '../corpus/db.js';
import { clearStageMemo } from '../corpus/stage-memo.js';
import { peakRssKb } from './peak-rss.js';
import { getCorpusStats } from '../corpus/inspect.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { rebuild } from '../rebuild/rebuild.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from '../rebuild/rebuild-config.js';

const TREES = ['/usr/share/yosys', '/usr/include/newlib', '/usr/local/cuda/include', '/usr/include'];

async function child(dbPath: string, threads: number, warm: boolean): Promise<void> {
  if (!warm) {
    // A first rebuild: nothing memoized yet (the crawl is reused, every stage result is not).
    const db = openCorpus(dbPath);
    clearStageMemo(db);
    db.close();
  }
  const t = performance.now();
  // Toolchain verification is measured by bench/verify-throughput.ts; this bench measures the in-process stages.
  const config = structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig;
  config.verify.enabled = false;
  // Measurement of the pipeline's work on real trees, which mostly carry no license file: keep them (the default policy drops unlicensed files).
  Object.assign(config.license, { noLicense: 'keep', unknown: 'keep' });
  // force: the warm runs measure the stages answered from the memo, not the up-to-date check.
  const s = await rebuild(dbPath, { threads, config, force: true });
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({ seen: s.seen, kept: s.kept, ms, maxRssKb: peakRssKb(), stages: s.stages }) + '\n');
}

type ChildResult = { seen: number; kept: number; ms: number; maxRssKb: number; stages: Record<string, { timeMs: number }> };

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, Number(process.argv[4]), process.argv[5] === 'warm');
  const trees = TREES.filter((t) => existsSync(t));
  const missing = TREES.filter((t) => !existsSync(t));
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-'));
  const dbPath = join(dir, 'bench.db');
  const db = openCorpus(dbPath);
  let files = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const tree of trees) {
    const r = crawlDir(db, { path: tree, repo: `bench${tree.replace(/\//g, '-')}` });
    files += r.counts.seen;
  }
  const crawlMs = performance.now() - t0;
  bytes = getCorpusStats(db).raw.bytes;
  db.close();
  console.log(`incorpus bench: rebuild throughput on ${trees.join(', ')}${missing.length ? ` (absent: ${missing.join(', ')})` : ''}`);
  console.log(`corpus: ${files} files, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`crawl: ${(crawlMs / 1000).toFixed(2)} s, ${(files / (crawlMs / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (crawlMs / 1000)).toFixed(1)} MB/s (one thread)`);
  const self = fileURLToPath(import.meta.url);
  const runChild = (threads: number, warm: boolean): ChildResult =>
    JSON.parse(execFileSync(process.execPath, [self, '--child', dbPath, String(threads), warm ? 'warm' : 'cold'], { encoding: 'utf8' })) as ChildResult;
  const best: Record<number, ChildResult> = {};
  for (const threads of [1, 2]) {
    const runs = [0, 1].map(() => runChild(threads, false));
    const b = (best[threads] = runs.reduce((x, y) => (x.ms <= y.ms ? x : y)));
    const secs = b.ms / 1000;
    console.log(
      `rebuild, ${threads} worker thread(s): ${secs.toFixed(2)} s, ${(b.seen / secs).toFixed(0)} files/s, ${(bytes / 1e6 / secs).toFixed(1)} MB/s, ` +
        `peak RSS ${(Math.max(...runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB (best of 2, nothing memoized; ${b.kept}/${b.seen} kept)`,
    );
    console.log(`  stage time (worker stages: summed thread time), s: ${Object.entries(b.stages).map(([k, v]) => `${k} ${(v.timeMs / 1000).toFixed(1)}`).join(', ')}`);
  }
  console.log(`2 threads vs 1: ${(best[1]!.ms / best[2]!.ms).toFixed(2)}× (target ≥ 1.8×)`);
  const warm = [0, 1].map(() => runChild(2, true)).reduce((x, y) => (x.ms <= y.ms ? x : y));
  console.log(
    `rebuild again, nothing changed (stage memo), 2 threads: ${(warm.ms / 1000).toFixed(2)} s, ${(warm.seen / (warm.ms / 1000)).toFixed(0)} files/s, ` +
      `peak RSS ${(warm.maxRssKb / 1024).toFixed(0)} MB — ${(best[2]!.ms / warm.ms).toFixed(1)}× faster than the first (target ≥ 20×)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

await main();
