/**
 * Child process of bench/scale.ts: one rebuild (`--no-verify`) or one export
 * of a generated corpus, in a process of its own so that its peak RSS
 * (VmHWM, worker threads included: they share the process) is its own.
 * Prints one JSON line.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCorpus } from '../corpus/db.js';
import { clearStageMemo } from '../corpus/stage-memo.js';
import { exportCorpus } from '../export/export-corpus.js';
import { rebuild } from '../rebuild/rebuild.js';
import { mergeConfig } from '../rebuild/rebuild-config.js';
import { peakRssKb } from './peak-rss.js';

async function main(): Promise<void> {
  const [mode, dbPath, threads, outRoot] = process.argv.slice(2) as [string, string, string, string];
  const t = performance.now();
  if (mode === 'rebuild-cold' || mode === 'rebuild-warm') {
    if (mode === 'rebuild-cold') {
      const db = openCorpus(dbPath);
      clearStageMemo(db);
      db.close();
    }
    const s = await rebuild(dbPath, { threads: Number(threads), config: mergeConfig({ verify: { enabled: false } }) });
    const stages = Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, Math.round(v.timeMs)]));
    print({ ms: performance.now() - t, seen: s.seen, kept: s.kept, droppedBy: s.droppedBy, stages, maxRssKb: peakRssKb() });
    return;
  }
  const out = mkdtempSync(join(outRoot, 'export-'));
  const reader = openCorpus(dbPath, { readonly: true });
  try {
    const s = await exportCorpus(reader, { outDir: out, threads: Number(threads) });
    const bytes = readdirSync(out).reduce((a, f) => a + statSync(join(out, f)).size, 0);
    print({ ms: performance.now() - t, records: s.records, outBytes: bytes, maxRssKb: peakRssKb() });
  } finally {
    reader.close();
    rmSync(out, { recursive: true, force: true });
  }
}

function print(x: unknown): void {
  process.stdout.write(JSON.stringify(x) + '\n');
}

await main();
