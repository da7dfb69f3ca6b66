/**
 * `npm run bench:export`: export throughput (MB of source text per second) for
 * each format, codec and span mode, on real trees nobody here wrote (Debian's
 * yosys techlibs and simlibs, the CUDA headers, newlib headers). The
 * generation keeps every decodable file, so the numbers measure the exporter,
 * not what today's filters happen to keep. Prints a table; numbers go in the README.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeItem } from '../annotate/analyze-task.js';
import { openCorpus } from '../corpus/db.js';
import { exportCorpus } from '../export/export-corpus.js';
import type { ExportOptions } from '../export/export-options.js';
import { beginGeneration, commitGeneration } from '../corpus/generations.js';
import { createVerdictWriter } from '../corpus/verdicts.js';
import { STREAM_ORDER } from '../dedup/keep-rule.js';
import { iterateFilesForRebuild } from '../corpus/rebuild-source.js';
import { crawlDir } from '../crawlers/crawl-dir.js';

/** Override with INCORPUS_BENCH_TREES=/a:/b to measure other trees. */
const TREES = process.env.INCORPUS_BENCH_TREES?.split(':') ?? ['/usr/share/yosys', '/usr/local/cuda/include', '/usr/include/newlib'];
/** Override with INCORPUS_BENCH_RUNS=label-substring to run only some rows. */
const ONLY = process.env.INCORPUS_BENCH_RUNS;

const RUNS: Array<[string, Omit<ExportOptions, 'outDir'>]> = [
  ['jsonl, char spans', { fimSpans: 'char' }],
  ['jsonl, mix spans (tree-sitter)', { fimSpans: 'mix' }],
  ['jsonl, mix spans, 2 threads', { fimSpans: 'mix', threads: 2 }],
  ['jsonl.gz, char spans', { compress: 'gzip', fimSpans: 'char' }],
  ['jsonl.zst, char spans', { compress: 'zstd', fimSpans: 'char' }],
  ['parquet (snappy), char spans', { format: 'parquet', fimSpans: 'char' }],
  ['parquet (zstd), char spans', { format: 'parquet', compress: 'zstd', fimSpans: 'char' }],
  ['jsonl, repo-level (starcoder2), char', { repoLevel: true, fimTokens: 'starcoder2', fimSpans: 'char' }],
  ['jsonl, char + cl100k token counts', { fimSpans: 'char', tokenizer: 'cl100k_base' }],
];

/** Crawls the trees and commits a generation that keeps every file with text. */
async function buildCorpus(dbPath: string, trees: string[]): Promise<{ docs: number; bytes: number }> {
  const db = openCorpus(dbPath);
  for (const tree of trees) crawlDir(db, { path: tree, repo: `bench${tree.replace(/\//g, '-')}` });
  const genId = beginGeneration(db, { bench: 'keep every decodable file' });
  const writer = createVerdictWriter(db, genId);
  let docs = 0;
  let bytes = 0;
  const verdicts = [];
  for await (const r of iterateFilesForRebuild(db, { order: STREAM_ORDER })) {
    const a = analyzeItem({ path: r.path, blob: r.blob });
    const keep = a.text !== null && r.sha256 !== null;
    if (keep) [docs, bytes] = [docs + 1, bytes + Buffer.byteLength(a.text!)];
    verdicts.push({ fileId: r.fileId, verdict: keep ? ('keep' as const) : ('drop' as const), stage: keep ? null : 'bench', reason: keep ? 'kept' : 'no-text', lang: a.lang, domain: a.domain, outSha256: keep ? r.sha256 : null });
  }
  for (const v of verdicts) writer.write(v);
  writer.flush();
  commitGeneration(db, genId, {});
  db.close();
  return { docs, bytes };
}

async function main(): Promise<void> {
  const trees = TREES.filter((t) => existsSync(t));
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-export-'));
  const dbPath = join(dir, 'bench.db');
  const { docs, bytes } = await buildCorpus(dbPath, trees);
  console.log(`incorpus bench: export throughput on ${trees.join(', ')}`);
  console.log(`corpus: ${docs} kept files, ${(bytes / 1e6).toFixed(1)} MB of text; FIM rate 0.5, seed 0`);
  console.log('| export | time | MB/s | records/s | output MB |');
  console.log('|---|---|---|---|---|');
  const reader = openCorpus(dbPath, { readonly: true });
  for (const [label, opts] of RUNS.filter(([l]) => !ONLY || l.includes(ONLY))) {
    const outDir = join(dir, 'out');
    const t = performance.now();
    // The corpus report beside the card has its own benchmark (bench/report.ts); this one times the exporter.
    const s = await exportCorpus(reader, { ...opts, outDir, report: false });
    const secs = (performance.now() - t) / 1000;
    const onDisk = s.files.reduce((n, f) => n + f.fileBytes, 0);
    console.log(`| ${label} | ${secs.toFixed(2)} s | ${(bytes / 1e6 / secs).toFixed(1)} | ${(s.records / secs).toFixed(0)} | ${(onDisk / 1e6).toFixed(1)} |`);
    rmSync(outDir, { recursive: true, force: true });
  }
  reader.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
