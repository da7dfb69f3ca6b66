/**
 * `npm run bench:refine`: the refinement proof (issue 18) on real trees nobody
 * here wrote. Each tree is rebuilt twice: as crawled (the refinements real
 * files get: redacted e-mails, trailing blanks, CRLF) and "untidy" (every
 * source file given trailing blanks on its code lines and a blank run near the
 * top, so normalizing moves every later line — what made the old proof call
 * unchanged Verilog a mismatch). Per tree, mode and language: refinements
 * attempted, proofs run, identical, mismatches, not checkable, no proof (the
 * refined file does not compile), and which text shipped; then every mismatch
 * and not-checkable file with its reason.
 *
 * INCORPUS_BENCH_PICORV32=<dir>: a checkout of github:YosysHQ/picorv32 (never
 * committed); skipped, saying so, when unset. INCORPUS_BENCH_TREES=a,b picks trees.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCorpus } from '../corpus/db.js';
import { currentGeneration } from '../corpus/generations.js';
import { listRefinedDocs, type RefinedDoc } from '../corpus/verify-stats.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { rebuild } from '../rebuild/rebuild.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from '../rebuild/rebuild-config.js';
import { untidy } from '../tests/annotate/refinement-fixtures.js';

interface Tree {
  name: string;
  path: string | undefined;
  what: string;
}

const TREES: Tree[] = [
  { name: 'yosys', path: '/usr/share/yosys', what: 'yosys cell libraries and techmaps (Verilog), its Python' },
  { name: 'verilator-examples', path: '/usr/share/verilator/examples', what: 'verilator examples (SystemVerilog, C++)' },
  { name: 'verilator-runtime', path: '/usr/share/verilator/include', what: 'verilator runtime (C++) and bundled gtkwave sources (C)' },
  { name: 'newlib', path: '/usr/include/newlib', what: 'newlib headers (C)' },
  { name: 'arm-examples', path: '/usr/share/doc/gcc-arm-none-eabi/examples', what: 'Arm toolchain examples (embedded C)' },
  { name: 'picorv32', path: process.env.INCORPUS_BENCH_PICORV32, what: 'github:YosysHQ/picorv32 (Verilog, RISC-V firmware C)' },
];

/** Sources a proof applies to; only these are made untidy. */
const PROVABLE = new Set(['.v', '.sv', '.vh', '.svh', '.c', '.h', '.cc', '.cpp', '.hpp', '.py']);

/** A copy of `src` with every provable text file made untidy. */
function untidyCopy(src: string, dst: string): void {
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dst, e.name);
    if (e.isDirectory()) untidyCopy(from, to);
    if (!e.isFile()) continue;
    mkdirSync(dirname(to), { recursive: true });
    const bytes = readFileSync(from);
    if (PROVABLE.has(extname(e.name)) && !bytes.includes(0)) writeFileSync(to, untidy(bytes.toString('utf8')));
    else copyFileSync(from, to);
  }
}

interface Row {
  refined: number;
  proven: number;
  identical: number;
  mismatch: number;
  notCheckable: number;
  noProof: number;
  shipped: Record<string, number>;
}

function tally(docs: RefinedDoc[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const d of docs) {
    let r = rows.get(d.lang);
    if (!r) rows.set(d.lang, (r = { refined: 0, proven: 0, identical: 0, mismatch: 0, notCheckable: 0, noProof: 0, shipped: {} }));
    r.refined++;
    const p = d.refinement;
    if (!p) {
      r.noProof++;
      continue;
    }
    r.proven++;
    if (p.status === 'identical') r.identical++;
    else if (p.status === 'mismatch') r.mismatch++;
    else r.notCheckable++;
    r.shipped[p.shipped ?? 'refined'] = (r.shipped[p.shipped ?? 'refined'] ?? 0) + 1;
  }
  return rows;
}

async function measure(tree: Tree, root: string, mode: 'as crawled' | 'untidy', work: string): Promise<void> {
  const dbPath = join(work, `${tree.name}-${mode.replace(/\W+/g, '-')}.db`);
  const db = openCorpus(dbPath);
  crawlDir(db, { path: root, repo: `bench/${tree.name}` });
  db.close();
  const config = structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig;
  config.verify.synth = false;
  // Measurement only: the proof is about code, not licensing, so copyleft files (verilator's runtime) stay in.
  config.license.allow.push('LGPL-3.0-only', 'LGPL-3.0-or-later', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'Artistic-2.0', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later');
  const started = performance.now();
  const summary = await rebuild(dbPath, { config });
  const seconds = (performance.now() - started) / 1000;
  const reader = openCorpus(dbPath, { readonly: true });
  const docs = listRefinedDocs(reader, currentGeneration(reader)!.id);
  reader.close();
  const runs = summary.stages.verify?.counters?.['tool-runs'] ?? 0;
  const drops = Object.entries(summary.droppedBy).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`\n### ${tree.name}, ${mode}: ${summary.kept} kept of ${summary.seen}${drops ? ` (dropped: ${drops})` : ''}; rebuild ${seconds.toFixed(1)} s, ${runs} tool runs`);
  console.log('| language | refined | proof ran | identical | mismatch | not checkable | no proof (does not compile, or none for the language) | shipped refined / redacted / original |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [lang, r] of [...tally(docs)].sort()) {
    const s = (k: string): number => r.shipped[k] ?? 0;
    console.log(`| ${lang} | ${r.refined} | ${r.proven} | ${r.identical} | ${r.mismatch} | ${r.notCheckable} | ${r.noProof} | ${s('refined')} / ${s('redacted')} / ${s('original')} |`);
  }
  for (const d of docs.filter((x) => x.refinement && x.refinement.status !== 'identical')) {
    const steps = (d.refinement!.steps ?? []).map((st) => `${st.stage} ${st.status}${st.detail ? ` (${st.detail})` : ''} → ${st.action}`).join('; ');
    const log = d.refinement!.status === 'not-checkable' && d.refinement!.log ? ` — log: ${d.refinement!.log.split('\n')[0]}` : '';
    console.log(`- ${d.refinement!.status}: ${d.path} [${d.lang}] ${steps}; ships ${d.refinement!.shipped}${log}`);
  }
  const notCompiling = new Map<string, number>();
  for (const d of docs.filter((x) => !x.refinement)) notCompiling.set(d.verifyStatus ?? 'no toolchain check', (notCompiling.get(d.verifyStatus ?? 'no toolchain check') ?? 0) + 1);
  if (notCompiling.size > 0) console.log(`- no proof: ${[...notCompiling].map(([k, n]) => `${k} ${n}`).join(', ')}`);
}

async function main(): Promise<void> {
  const pick = process.env.INCORPUS_BENCH_TREES?.split(',');
  const work = mkdtempSync(join(tmpdir(), 'incorpus-bench-refine-'));
  console.log('incorpus bench: refinement proofs on real trees (verify on, synth off, 2 tool processes)');
  try {
    for (const tree of TREES.filter((t) => !pick || pick.includes(t.name))) {
      if (!tree.path || !existsSync(tree.path)) {
        console.log(`\n### ${tree.name}: skipped (${tree.name === 'picorv32' ? 'set INCORPUS_BENCH_PICORV32 to a checkout of github:YosysHQ/picorv32' : `${tree.path} not installed`})`);
        continue;
      }
      console.log(`\n## ${tree.name}: ${tree.what} — ${tree.name === 'picorv32' ? '$INCORPUS_BENCH_PICORV32' : tree.path}`);
      await measure(tree, tree.path, 'as crawled', work);
      const copy = join(work, `${tree.name}-untidy`);
      untidyCopy(tree.path, copy);
      await measure(tree, copy, 'untidy', work);
      rmSync(copy, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
