/**
 * `npm run bench:filters`: measures the filters on real data nobody here wrote.
 * 1. License detection accuracy on Debian's /usr/share/common-licenses and the
 *    License paragraphs of machine-readable /usr/share/doc/<pkg>/copyright files.
 * 2. PII precision/recall per entity type on a labelled set: Debian's Verilog,
 *    C and CUDA headers with planted values and look-alikes (bench/pii-labelled-set.ts),
 *    plus what the detector flags in every untouched original.
 * 3. Validation: share of files each rule drops in a real rebuild of the trees,
 *    with a sample of drops per rule, and the license/pii stage times.
 * Prints JSON-ish sections; the numbers go in notes/issue-5.md.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCorpus } from '../corpus/db.js';
import { getCorpusStats } from '../corpus/inspect.js';
import { sampleDrops } from '../corpus/filter-stats.js';
import { currentGeneration } from '../corpus/generations.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { DEFAULT_PII_OPTIONS, detectPii } from '../filters/pii-stage.js';
import { mergeSpans } from '../filters/pii-redact.js';
import { rebuild } from '../rebuild/rebuild.js';
import { mergeConfig } from '../rebuild/rebuild-config.js';
import { commonLicenseCases, dep5Cases, scoreLicenseCases } from '../tests/filters/license-ground-truth.js';
import { buildLabelledSet, listFiles, REAL_TREES } from '../tests/filters/pii-labelled-set.js';
import { scorePii } from '../tests/filters/pii-score.js';

const VALIDATION_TREES = ['/usr/share/yosys', '/usr/include/newlib', '/usr/local/cuda/include', '/usr/include'];

function licenseAccuracy(): void {
  for (const [name, cases] of [['common-licenses', commonLicenseCases()], ['DEP-5 copyright', dep5Cases()]] as const) {
    const t = performance.now();
    const r = scoreLicenseCases(cases);
    const decided = r.exact + r.family + r.wrong;
    console.log(`license ${name}: ${r.cases} cases in ${Math.round(performance.now() - t)} ms — exact ${r.exact}, same text (-only/-or-later differ) ${r.family}, wrong ${r.wrong}, unknown ${r.unknown}`);
    console.log(`  accuracy ${pct(r.exact + r.family, r.cases)} of all, ${pct(r.exact + r.family, decided)} of decided; wrong ${pct(r.wrong, r.cases)}`);
    for (const e of r.errors.filter((x) => x.got).slice(0, 12)) console.log(`  wrong: ${e.origin} expected ${e.expected} got ${e.got}`);
  }
}

async function piiScores(): Promise<void> {
  const trees = REAL_TREES.filter((t) => existsSync(t.dir));
  for (const t of REAL_TREES.filter((x) => !existsSync(x.dir))) console.log(`pii: ${t.dir} missing (Debian package ${t.pkg}); measured without it`);
  for (const hard of [false, true]) {
    const set = buildLabelledSet(trees, 100, 'bench-v1', hard);
    const t = performance.now();
    const s = await scorePii(set, DEFAULT_PII_OPTIONS);
    console.log(`pii labelled set${hard ? ' (hard cases)' : ''}: ${s.files} files from ${trees.map((x) => x.dir).join(', ')} (${Math.round(performance.now() - t)} ms)`);
    for (const [type, x] of Object.entries(s.byType)) {
      if (x.planted > 0) console.log(`  ${type.padEnd(12)} planted ${x.planted}, found ${x.found}, false positives ${x.falsePositives}, in originals ${x.inOriginals} → P ${x.precision} R ${x.recall}`);
    }
    console.log(`  decoy hits: ${JSON.stringify(s.decoyHits)}`);
  }
  // Every untouched file of the trees: what does the detector flag in real code?
  let files = 0;
  let bytes = 0;
  const flagged: Record<string, number> = {};
  const samples: string[] = [];
  const t2 = performance.now();
  for (const tree of trees) {
    for (const path of listFiles(tree.dir, tree.ext)) {
      const text = readFileSync(path, 'utf8');
      files++;
      bytes += text.length;
      for (const sp of mergeSpans(await detectPii(text, tree.lang, path, DEFAULT_PII_OPTIONS))) {
        flagged[`${sp.type}/${sp.rule}`] = (flagged[`${sp.type}/${sp.rule}`] ?? 0) + 1;
        if (sp.type !== 'email' && samples.length < 15) samples.push(`${path}: ${sp.type} by ${sp.rule}: ${JSON.stringify(mask(text.slice(sp.start, sp.end)))}`);
      }
    }
  }
  const ms = performance.now() - t2;
  console.log(`pii on ${files} untouched real files (${(bytes / 1e6).toFixed(1)} MB) in ${Math.round(ms)} ms (${Math.round(files / (ms / 1000))} files/s): ${JSON.stringify(flagged)}`);
  for (const x of samples) console.log(`  non-email finding: ${x}`);
}

async function validationShares(): Promise<void> {
  const trees = VALIDATION_TREES.filter((t) => existsSync(t));
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-filters-'));
  const dbPath = join(dir, 'bench.db');
  const db = openCorpus(dbPath);
  for (const tree of trees) crawlDir(db, { path: tree, repo: `debian${tree.replace(/\//g, '-')}` });
  db.close();
  // Toolchain verification is measured by its own bench; here it would only add minutes.
  const config = mergeConfig({ verify: { enabled: false } });
  const t = performance.now();
  const summary = await rebuild(dbPath, { config });
  const ms = performance.now() - t;
  const reader = openCorpus(dbPath, { readonly: true });
  const stats = getCorpusStats(reader).generation!;
  console.log(`rebuild of ${trees.join(', ')}: ${summary.seen} files, ${summary.kept} kept, ${Math.round(ms)} ms`);
  for (const [stage, s] of Object.entries(stats.stages as Record<string, { seen: number; timeMs: number }>)) {
    if (['validate', 'license', 'pii'].includes(stage)) console.log(`  stage ${stage}: ${s.seen} seen, ${Math.round(s.timeMs)} ms (${Math.round(s.seen / Math.max(0.001, s.timeMs / 1000))} files/s)`);
  }
  for (const [reason, n] of Object.entries(summary.droppedBy).sort((a, b) => b[1] - a[1])) {
    if (reason.startsWith('validate/') || reason.startsWith('license/')) console.log(`  dropped ${reason}: ${n} (${pct(n, summary.seen)})`);
  }
  const f = stats.filters;
  console.log(`  redacted: ${f.redactions.files} kept files (${pct(f.redactions.files, summary.kept)}) ${JSON.stringify(f.redactions.byType)} by rule ${JSON.stringify(f.redactions.byRule)}`);
  console.log(`  license of kept files: ${JSON.stringify(f.licenseStatus)}`);
  const gen = currentGeneration(reader)!;
  for (const [reason, paths] of Object.entries(sampleDrops(reader, gen.id, 'validate', 4))) console.log(`  sample validate/${reason}: ${paths.join(' ')}`);
  reader.close();
  rmSync(dir, { recursive: true, force: true });
}

const pct = (n: number, d: number): string => (d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '0%');
const mask = (v: string): string => v.slice(0, 3) + v.slice(3, 24).replace(/[A-Za-z]/g, 'x').replace(/\d/g, '9');

licenseAccuracy();
await piiScores();
await validationShares();
