/**
 * `npm run bench:verify [-- name=/path …]`: toolchain verification on real
 * trees nobody here wrote — Debian's yosys techlibs, newlib headers, a sample
 * of the CUDA headers — plus public repositories you fetched yourself, named
 * on the command line or in INCORPUS_BENCH_REPOS ("owner/name=/path,…"; never
 * committed; skipped with a note when absent). Per tree and language: pass
 * rates standalone → repository context → with vendor models and second
 * opinions → with black boxes, the failure mix, and a naive resolver on the
 * same files side by side (issue 15). Cost: tool CPU vs the verify stage's own
 * wall (target ≤ 1.25 × CPU / processes), sandbox overhead per check (target
 * ≤ 20 ms), and an unchanged second rebuild (target ≥ 20× faster; the verify
 * stage's own time printed separately). INCORPUS_BENCH_SYNTH=0 turns yosys
 * synthesis off for the repositories; INCORPUS_BENCH_TREES=repos measures
 * only the named repositories (not the Debian trees and demo);
 * INCORPUS_BENCH_NAIVE=0 skips the naive resolver (its column then reads 0);
 * INCORPUS_BENCH_KEEP=DIR keeps each tree's corpus there (`incorpus --db
 * DIR/<tree>.db why repo:path` then shows every recorded verification).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProcessPool } from '../annotate/verify/process-pool.js';
import { openVerifyCache } from '../annotate/verify/verify-cache-store.js';
import type { Verification } from '../annotate/verify/verify-doc.js';
import { openCorpus, type Db } from '../corpus/db.js';
import { currentGeneration } from '../corpus/generations.js';
import { readRepoFileText } from '../corpus/repo-files.js';
import { getVerificationStats, listKeptVerifications, type KeptVerification } from '../corpus/verify-stats.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { rebuild, type RebuildSummary } from '../rebuild/rebuild.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from '../rebuild/rebuild-config.js';
import { createNaiveResolver } from './naive-resolver.js';

const DEMO = fileURLToPath(new URL('../../demo/repos/', import.meta.url));
const PROCESSES = availableParallelism();

interface Tree {
  label: string;
  repos: Array<[string, string]>;
  synth: boolean;
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

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The naive resolver's pass rate on the same kept files (files that compile alone are counted as compiling for it too). */
async function naiveRates(db: Db, kept: ReadonlyArray<KeptVerification<Verification>>): Promise<Map<string, number>> {
  const pool = createProcessPool(PROCESSES);
  const env = { pool, cache: openVerifyCache(db), limits: {}, counters: { hits: 0, runs: 0, cpuMs: 0, wallMs: 0 } };
  const naive = createNaiveResolver(db);
  const passes = new Map<string, number>();
  const jobs = kept.filter((k) => ['verilog', 'systemverilog', 'c'].includes(k.lang)).map(async (k) => {
    const ok = k.v.standalone.status === 'compiles' || (await naive(k.repo, k.path, readRepoFileText(db, k.sha256) ?? '', k.lang, env)) === 'compiles';
    if (ok) passes.set(k.lang, (passes.get(k.lang) ?? 0) + 1);
  });
  await Promise.all(jobs);
  pool.close();
  return passes;
}

async function measure(tree: Tree, dir: string): Promise<void> {
  const dbPath = join(dir, `${tree.label.replace(/\W+/g, '-')}.db`);
  // A kept directory from an earlier run: start cold (its verify cache would time nothing).
  for (const sfx of ['', '-wal', '-shm']) rmSync(dbPath + sfx, { force: true });
  const db0 = openCorpus(dbPath);
  for (const [name, path] of tree.repos) crawlDir(db0, { path, repo: name });
  db0.close();
  const config = structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig;
  config.verify.synth = tree.synth;
  config.verify.processes = PROCESSES;
  // Measurement of the pipeline's work on real trees, which mostly carry no license file: keep them (the default policy drops unlicensed files).
  Object.assign(config.license, { noLicense: 'keep', unknown: 'keep' });
  tree.configure?.(config);
  const off = structuredClone(config);
  off.verify.enabled = false;
  const b0 = process.cpuUsage();
  const base = await rebuild(dbPath, { config: off });
  const baseCpu = process.cpuUsage(b0);
  const cpu0 = process.cpuUsage();
  const first = await rebuild(dbPath, { config });
  const nodeCpu = process.cpuUsage(cpu0);
  // --force: nothing changed, and the point is the cost of answering every check from the verify cache.
  const second = await rebuild(dbPath, { config, force: true });
  const c = (s: RebuildSummary, k: string): number => s.stages.verify?.counters?.[k] ?? 0;
  const stage = (s: RebuildSummary): number => s.stages.verify?.timeMs ?? 0;
  const drops = Object.entries(first.droppedBy).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`\n## ${tree.label} (${first.kept} kept of ${first.seen}${drops ? `; dropped ${drops}` : ''}; synth ${tree.synth ? 'on' : 'off'})`);
  // A write connection: the naive resolver's checks go through the same verify cache.
  const db = openCorpus(dbPath);
  const gen = currentGeneration(db)!.id;
  const v = getVerificationStats(db, gen);
  const kept = listKeptVerifications<Verification>(db, gen);
  const naive = process.env.INCORPUS_BENCH_NAIVE === '0' ? new Map<string, number>() : await naiveRates(db, kept);
  db.close();
  console.log('| language | checked | standalone | repository context | + vendor models, 2nd opinions (compiles) | + black boxes | naive resolver | failure mix |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [lang, r] of Object.entries(v.byLang).sort()) {
    const mix = Object.entries(r.byStatus).filter(([s]) => s !== 'compiles' && s !== 'compiles-with-blackboxes').map(([s, n]) => {
      const kinds = Object.entries(r.byKind).filter(([k]) => k.startsWith(`${s}/`)).map(([k, m]) => `${k.slice(s.length + 1)} ${m}`);
      return `${s} ${n}${kinds.length ? ` (${kinds.join(', ')})` : ''}`;
    }).join('; ');
    const nv = naive.has(lang) || ['verilog', 'systemverilog', 'c'].includes(lang) ? pct(naive.get(lang) ?? 0, r.checked) : '-';
    console.log(`| ${lang} | ${r.checked} | ${pct(r.standalone, r.checked)} | ${pct(r.repository, r.checked)} | ${pct(r.compiles, r.checked)} | ${pct(r.compiles + r.withBlackboxes, r.checked)} | ${nv} | ${mix || '-'} |`);
  }
  const cpu = c(first, 'tool-cpu-ms');
  const limit = cpu / PROCESSES;
  console.log(`cost: rebuild without verify ${sec(base.elapsedMs)}; first with verify ${sec(first.elapsedMs)}; verify stage ${sec(stage(first))} for ${c(first, 'tool-runs')} tool runs (${c(first, 'retries')} retried), tool CPU ${sec(cpu)} → wall/(CPU/${PROCESSES}) = ${(stage(first) / Math.max(1, limit)).toFixed(2)} (target ≤ 1.25)`);
  // Where the verify stage's wall went (issue 15): is the pool kept full, and what else runs on the 2 cores?
  const occ = Array.from({ length: PROCESSES + 1 }, (_, k) => c(first, `pool-running-${k}-ms`));
  const life = occ.reduce((a, b) => a + b, 0);
  console.log(`breakdown: pool open ${sec(life)} — ${occ.map((ms, k) => `${k} running ${pct(ms, life)}`).join(', ')}; last ${sec(c(first, 'pool-tail-ms'))} with the pool not full (stragglers); ` +
    `Σ tool CPU ${sec(cpu)}, Σ sandbox/helper overhead ${sec(c(first, 'sandbox-overhead-ms'))} (writing input files ${sec(c(first, 'materialize-ms'))}), main-thread context work ${sec(c(first, 'js-context-ms'))}, ` +
    `this process's CPU (all threads, whole rebuild) ${sec((nodeCpu.user + nodeCpu.system) / 1000)} vs ${sec((baseCpu.user + baseCpu.system) / 1000)} without verify; ` +
    `ideal pool wall Σ tool wall / ${PROCESSES} = ${sec(c(first, 'tool-wall-ms') / PROCESSES)}`);
  console.log(`sandbox overhead per check ${(c(first, 'sandbox-overhead-ms') / Math.max(1, c(first, 'tool-runs'))).toFixed(1)} ms (target ≤ 20; includes materializing files); summed tool wall ${sec(c(first, 'tool-wall-ms'))}`);
  if (v.synth.attempted > 0) console.log(`yosys synth: ${v.synth.compiles}/${v.synth.attempted} files synthesized (each with its submodules as black boxes: every module once), ${v.synth.cells} cells of their own`);
  console.log(`unchanged second rebuild ${sec(second.elapsedMs)} (${(first.elapsedMs / second.elapsedMs).toFixed(1)}× faster; target ≥ 20×); its verify stage ${sec(stage(second))} (${(stage(first) / Math.max(1, stage(second))).toFixed(0)}× faster), ${c(second, 'tool-runs')} tool runs, ${c(second, 'doc-cache-hits')} file cache hits`);
}

/** Repositories from argv (`name=/path`) and INCORPUS_BENCH_REPOS. */
function benchRepos(): Array<[string, string]> {
  const specs = [...process.argv.slice(2), ...(process.env.INCORPUS_BENCH_REPOS ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
  return specs.map((s) => {
    const i = s.indexOf('=');
    return i > 0 ? ([s.slice(0, i), s.slice(i + 1)] as [string, string]) : ([s.split('/').slice(-2).join('/'), s] as [string, string]);
  });
}

async function main(): Promise<void> {
  const keep = process.env.INCORPUS_BENCH_KEEP;
  if (keep) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'incorpus-bench-verify-'));
  try {
    const reposOnly = process.env.INCORPUS_BENCH_TREES === 'repos';
    const cuda = reposOnly ? null : cudaSample(dir, 30);
    const synthRepos = process.env.INCORPUS_BENCH_SYNTH !== '0';
    const trees: Tree[] = reposOnly ? [] : [
      { label: 'demo repositories', repos: readdirSync(DEMO).sort().map((r) => [`demo/${r}`, join(DEMO, r)]), synth: true },
      { label: '/usr/share/yosys', repos: [['debian/yosys-share', '/usr/share/yosys']], synth: false },
      { label: '/usr/include/newlib', repos: [['debian/newlib', '/usr/include/newlib']], synth: false },
      // Proprietary headers: the license stage drops them from a corpus; allowed here only to measure nvcc.
      ...(cuda ? [{ label: '/usr/local/cuda/include (30 top-level headers)', repos: [['nvidia/cuda-include', cuda]] as Array<[string, string]>, synth: false, configure: (c: RebuildConfig) => void c.license.allow.push('LicenseRef-NVIDIA-Proprietary') }] : []),
    ];
    for (const [name, path] of benchRepos()) {
      if (existsSync(path)) trees.push({ label: `${name} (${path})`, repos: [[name, path]], synth: synthRepos });
      else console.log(`(skipped ${name}: ${path} does not exist)`);
    }
    if (benchRepos().length === 0) console.log('(no fetched repositories given: pass name=/path arguments or INCORPUS_BENCH_REPOS to measure real multi-board FPGA and CPU-core repositories)');
    console.log(`incorpus bench: verification with the real toolchains (${PROCESSES} tool processes)`);
    for (const t of trees) if (t.repos.every(([, p]) => existsSync(p))) await measure(t, dir);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
