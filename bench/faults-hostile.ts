import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { annotateTriton } from '../annotate/structure-kernels.js';
import { runHostileSuite } from '../tests/crawlers/hostile-input.js';

/**
 * `npm run bench:faults:hostile` — the hostile-input suite of issue 12: each case
 * through the real `crawl` and `rebuild --no-verify`, its recorded outcome and
 * times, and whether every other document survived unchanged. Then the decorator
 * regex before/after: the old Triton pattern (run in a worker killed at a cap)
 * against the line scan, on a real file and on the worst case.
 *
 * Env: HOSTILE_REAL_PY — a Python file or directory (e.g. a checkout of
 * google/riscv-dv, whose pygen files made the old pattern run for minutes);
 * skipped, and said so, when absent. HOSTILE_DECORATORS (default 10^6),
 * HOSTILE_CAP_S (old-pattern cap per file, default 60).
 */
const OLD_DECORATED = String.raw`((?:^[ \t]*@[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*[)\]][^\n]*\n)*)+)^[ \t]*def\s+([A-Za-z_]\w*)`;

async function main(): Promise<void> {
  const decorators = Number(process.env.HOSTILE_DECORATORS ?? 1_000_000);
  console.log('hostile-input suite (crawl + rebuild --no-verify per case; machine shared, times are upper bounds)');
  console.log(`${'case'.padEnd(15)} ${'crawl s'.padStart(8)} ${'rebuild s'.padStart(9)}  exit   others intact  recorded outcome`);
  const results = await runHostileSuite({ decorators, lineBytes: 10 * 1024 * 1024, bombBytes: 4 * 1024 ** 3, rebuildCapMs: 600_000 }, (o) => {
    console.log(`${o.name.padEnd(15)} ${(o.crawlMs / 1000).toFixed(1).padStart(8)} ${(o.rebuildMs / 1000).toFixed(1).padStart(9)}  ${o.exit.join('/').padEnd(6)} ${String(o.othersIntact).padEnd(14)} ${o.recorded}`);
  });
  const lost = results.filter((r) => !r.othersIntact).map((r) => r.name);
  console.log(`cases: ${results.length}; cases that lost or changed another document: ${lost.length}${lost.length ? ` (${lost.join(', ')})` : ''}`);

  console.log('\nTriton decorator matching: old regex vs line scan (annotateTriton)');
  const capMs = Number(process.env.HOSTILE_CAP_S ?? 60) * 1000;
  const worst = `import triton\n${'    @d\n'.repeat(30)}x = 1\n`;
  const inputs: Array<[string, string]> = [['worst case, 30 indented decorators', worst], [`${decorators} decorators`, `import triton\n${'@d\n'.repeat(decorators)}x = 1\n`]];
  const real = process.env.HOSTILE_REAL_PY;
  if (real && existsSync(real)) for (const f of pythonFiles(real)) inputs.push([f.slice(real.length).replace(/^\//, '') || f, readFileSync(f, 'utf8')]);
  else console.log('  (HOSTILE_REAL_PY not set or missing: real-file rows skipped; set it to a checkout of google/riscv-dv)');
  let oldTotal = 0;
  let newTotal = 0;
  for (const [label, text] of inputs) {
    const old = await timeOldPattern(text, capMs);
    const t = performance.now();
    const kernels = annotateTriton(text).kernels.length;
    const ms = performance.now() - t;
    oldTotal += old.ms;
    newTotal += ms;
    if (old.ms > 100 || !real || inputs.length < 12) console.log(`  ${label.slice(0, 60).padEnd(60)} old ${old.killed ? `> ${capMs / 1000} s (killed)` : `${old.ms.toFixed(0)} ms`}  new ${ms.toFixed(1)} ms (${kernels} kernels)`);
  }
  console.log(`  total over ${inputs.length} inputs: old ${(oldTotal / 1000).toFixed(1)} s (killed runs counted at the cap), new ${(newTotal / 1000).toFixed(2)} s`);
}

function pythonFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).map((f) => join(path, f)).filter((f) => /^[ \t]*@/m.test(readFileSync(f, 'utf8'))).sort();
}

/** The pre-issue-12 pattern, run as annotateTriton ran it (comments stripped), in a worker terminated at the cap. */
function timeOldPattern(text: string, capMs: number): Promise<{ ms: number; killed: boolean }> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    const t = workerData.text.replace(/#[^\\n]*/g, '');
    const re = new RegExp(workerData.source, 'gm');
    const s = performance.now(); let n = 0; for (const m of t.matchAll(re)) n++;
    parentPort.postMessage(performance.now() - s);`;
  return new Promise((ok) => {
    const w = new Worker(code, { eval: true, workerData: { text, source: OLD_DECORATED } });
    const timer = setTimeout(() => void w.terminate().then(() => ok({ ms: capMs, killed: true })), capMs);
    w.once('message', (ms: number) => {
      clearTimeout(timer);
      void w.terminate();
      ok({ ms, killed: false });
    });
  });
}

await main();
