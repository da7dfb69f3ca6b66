/**
 * Child process of bench/scale.ts: one rebuild (`--no-verify`) or one export
 * of a generated corpus, in a process of its own so that its peak RSS
 * (VmHWM, worker threads included: they share the process) is its own.
 * Prints one JSON line, with the process's CPU time (user + system, all
 * threads) and the main thread's: load stretches wall time, not CPU time.
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
import { taskCpuMs } from '../pipeline/thread-cpu.js';

async function main(): Promise<void> {
  const [mode, dbPath, threads, outRoot] = process.argv.slice(2) as [string, string, string, string];
  const t = performance.now();
  if (mode === 'rebuild-cold' || mode === 'rebuild-warm' || mode === 'rebuild-memo') {
    if (mode === 'rebuild-cold') {
      const db = openCorpus(dbPath);
      clearStageMemo(db);
      db.close();
    }
    // Real trees, mostly without a license file: keep them, so every stage has the whole corpus to work on.
    // rebuild-memo: `rebuild --force` — a new generation although nothing changed, every per-document result from the stage memo.
    const s = await rebuild(dbPath, {
      threads: Number(threads),
      config: mergeConfig({ verify: { enabled: false }, license: { noLicense: 'keep', unknown: 'keep' } }),
      // Cold and memo runs both force a new generation: a cold run after another one (`--threads 1,2`) would
      // otherwise find the generation up to date (the digest does not include the thread count) and run nothing.
      ...(mode === 'rebuild-memo' || mode === 'rebuild-cold' ? { force: true } : {}),
    });
    if (mode === 'rebuild-warm' && !s.unchanged) throw new Error('the unchanged rebuild did not find the generation up to date');
    const stages = Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, Math.round(v.timeMs)]));
    const stageCpu = Object.fromEntries(Object.entries(s.stages).flatMap(([k, v]) => (v.cpuMs !== undefined ? [[k, Math.round(v.cpuMs)]] : [])));
    print({ ms: performance.now() - t, seen: s.seen, kept: s.kept, droppedBy: s.droppedBy, stages, stageCpu, ...cpu(), maxRssKb: peakRssKb() });
    return;
  }
  const out = mkdtempSync(join(outRoot, 'export-'));
  const reader = openCorpus(dbPath, { readonly: true });
  try {
    const s = await exportCorpus(reader, { outDir: out, threads: Number(threads) });
    const bytes = readdirSync(out).reduce((a, f) => a + statSync(join(out, f)).size, 0);
    print({ ms: performance.now() - t, records: s.records, outBytes: bytes, ...cpu(), maxRssKb: peakRssKb() });
  } finally {
    reader.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** CPU ms of the whole process (user, system) and of its main thread, so far. */
function cpu(): { userMs: number; sysMs: number; mainCpuMs: number | null } {
  const u = process.cpuUsage();
  return { userMs: Math.round(u.user / 1000), sysMs: Math.round(u.system / 1000), mainCpuMs: taskCpuMs(process.pid) };
}

function print(x: unknown): void {
  process.stdout.write(JSON.stringify(x) + '\n');
}

await main();
