/**
 * `npm run bench:verify`: toolchain verification on real trees nobody here
 * wrote — Debian's yosys techlibs, newlib headers, a sample of the CUDA
 * headers — and the demo repositories. For each: pass rates standalone vs
 * repository context per language, tool CPU time vs the verify stage's wall
 * time, and the speedup of an unchanged second rebuild (cache only).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCorpus } from '../corpus/db.js';
import { currentGeneration } from '../corpus/generations.js';
import { getVerificationStats } from '../corpus/verify-stats.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { rebuild, type RebuildSummary } from '../rebuild/rebuild.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from '../rebuild/rebuild-config.js';

const DEMO = fileURLToPath(new URL('../../demo/repos/', import.meta.url));

interface Tree {
  label: string;
  /** [repo name, directory] pairs crawled into one corpus. */
  repos: Array<[string, string]>;
  /** yosys synthesis of what compiles (slow on vendor simulation libraries). */
  synth: boolean;
  /** Config changes for this measurement only. */
  configure?: (c: RebuildConfig) => void;
}

/** A flat sample of CUDA's top-level headers (the full tree is thousands of files at ~1 s of nvcc each). */
function cudaSample(dir: string, n: number): string | null {
  const src = '/usr/local/cuda/include';
  if (!existsSync(src)) return null;
  const out = join(dir, 'cuda-sample');
  mkdirSync(out, { recursive: true });
  const files = readdirSync(src, { withFileTypes: true }).filter((f) => f.isFile() && /\.(h|cuh)$/.test(f.name)).map((f) => f.name).sort().slice(0, n);
  for (const f of files) cpSync(join(src, f), join(out, f));
  return out;
}

async function measure(tree: Tree, dir: string): Promise<void> {
  const dbPath = join(dir, `${tree.label.replace(/\W+/g, '-')}.db`);
  const db = openCorpus(dbPath);
  for (const [name, path] of tree.repos) crawlDir(db, { path, repo: name });
  db.close();
  const config = structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig;
  config.verify.synth = tree.synth;
  tree.configure?.(config);
  const off = structuredClone(config);
  off.verify.enabled = false;
  const base = await rebuild(dbPath, { config: off });
  const first = await rebuild(dbPath, { config });
  const second = await rebuild(dbPath, { config });
  const c = (s: RebuildSummary, k: string): number => s.stages.verify?.counters?.[k] ?? 0;
  const verifyWall = (s: RebuildSummary): number => s.stages.verify?.timeMs ?? 0;
  const drops = Object.entries(first.droppedBy).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`\n## ${tree.label} (${first.kept} kept of ${first.seen}${drops ? `; dropped ${drops}` : ''}; synth ${tree.synth ? 'on' : 'off'})`);
  console.log(`rebuild without verify ${(base.elapsedMs / 1000).toFixed(2)} s; first with verify ${(first.elapsedMs / 1000).toFixed(2)} s; unchanged second ${(second.elapsedMs / 1000).toFixed(2)} s (${(first.elapsedMs / second.elapsedMs).toFixed(1)}x faster, ${c(second, 'tool-runs')} tool runs, ${c(second, 'cache-hits')} cache hits)`);
  console.log(`tool runs ${c(first, 'tool-runs')}: tool CPU ${(c(first, 'tool-cpu-ms') / 1000).toFixed(2)} s, summed tool wall ${(c(first, 'tool-wall-ms') / 1000).toFixed(2)} s, verify stage wall ${(verifyWall(first) / 1000).toFixed(2)} s (CPU/stage-wall ${(c(first, 'tool-cpu-ms') / Math.max(1, verifyWall(first))).toFixed(2)} on 2 processes)`);
  const reader = openCorpus(dbPath, { readonly: true });
  const v = getVerificationStats(reader, currentGeneration(reader)!.id);
  reader.close();
  console.log('| language | checked | standalone | repository context | other statuses |');
  console.log('|---|---|---|---|---|');
  const pct = (n: number, d: number): string => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
  for (const [lang, r] of Object.entries(v.byLang).sort()) {
    const other = Object.entries(r.byStatus).filter(([s]) => s !== 'compiles').map(([s, n]) => `${s} ${n}`).join(', ');
    console.log(`| ${lang} | ${r.checked} | ${pct(r.standalone, r.checked)} | ${pct(r.compiles, r.checked)} | ${other || '-'} |`);
  }
  if (v.synth.attempted > 0) console.log(`yosys synth: ${v.synth.compiles}/${v.synth.attempted} synthesized, ${v.synth.cells} cells`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-verify-'));
  try {
    const cuda = cudaSample(dir, 30);
    const trees: Tree[] = [
      { label: 'demo repositories', repos: readdirSync(DEMO).sort().map((r) => [`demo/${r}`, join(DEMO, r)]), synth: true },
      { label: '/usr/share/yosys', repos: [['debian/yosys-share', '/usr/share/yosys']], synth: false },
      { label: '/usr/include/newlib', repos: [['debian/newlib', '/usr/include/newlib']], synth: false },
      // Proprietary headers: the license stage drops them from a corpus; allowed here only to measure nvcc.
      ...(cuda ? [{ label: '/usr/local/cuda/include (30 top-level headers)', repos: [['nvidia/cuda-include', cuda]] as Array<[string, string]>, synth: false, configure: (c: RebuildConfig) => void c.license.allow.push('LicenseRef-NVIDIA-Proprietary') }] : []),
    ];
    console.log('incorpus bench: verification with the real toolchains (2 tool processes)');
    for (const t of trees) if (t.repos.every(([, p]) => existsSync(p))) await measure(t, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
