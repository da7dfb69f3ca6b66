/**
 * `npm run bench:dedup`: near-dedup numbers for the README.
 *  1. signature throughput, ours vs the `minhash` npm package, on the same shingle sets (one core)
 *  2. LSH precision/recall against an exact all-pairs join on ≥ 10,000 real files nobody here wrote,
 *     before (256 permutations, 25 × 10, estimate check) and now (one permutation, 32 × 8, hybrid check)
 *  3. error of the Jaccard estimate against exact Jaccard, on the LSH candidate pairs
 *  4. time and peak RSS of the near-dedup stage at 100k and 1M synthetic documents (child processes)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CODE_TOKEN_RE, exactJaccard, textShingles } from '../dedup/code-tokens.js';
import { UnionFind } from '../dedup/union-find.js';
import { optimalLshParams } from '../dedup/lsh-params.js';
import { bandKeys, computeSignature, createPermutations, estimateJaccard } from '../dedup/minhash.js';
import { createOnePermutation, ophSignature } from '../dedup/one-permutation.js';
import { signText } from '../dedup/near-dedup-task.js';
import { resolveNearDedupOptions } from '../dedup/near-dedup-options.js';
import { exactPairsAbove } from './dedup-exact-join.js';

const TREES = ['/usr/include', '/usr/share/yosys', '/usr/local/cuda/include', '/usr/lib/python3', '/usr/lib/python3.11', '/usr/share/verilator', '/usr/lib/gcc', '/usr/share/perl'];
const EXTS = /\.(h|hh|hpp|c|cc|cpp|cu|cuh|py|v|sv|vh|vhd|pm|pl|tcl|inc|def)$/;
const T = 0.7;
const K = 5;
const PERMS = 256;
const HEAP_CAP_MB = 96;

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // Installed Python packages (numpy, scipy for datasketch, …) vary by machine: the corpus must not.
    if (e.isDirectory()) {
      if (e.name !== 'dist-packages') walk(p, out);
    }
    else if (e.isFile() && EXTS.test(e.name)) out.push(p);
  }
}

/** Real source files, exact duplicates removed (exact dedup runs before near-dedup in the pipeline). */
function loadCorpus(): { texts: string[]; bytes: number } {
  const paths: string[] = [];
  for (const t of TREES) if (existsSync(t)) walk(t, paths);
  paths.sort();
  const seen = new Set<string>();
  const texts: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    if (statSync(p).size > 1_000_000) continue;
    const buf = readFileSync(p);
    if (buf.includes(0)) continue;
    const h = createHash('sha256').update(buf).digest('hex');
    if (seen.has(h)) continue;
    seen.add(h);
    texts.push(buf.toString('utf8'));
    bytes += buf.length;
  }
  return { texts, bytes };
}

/** The shingles as strings (5 tokens joined), the input the `minhash` package takes. */
function shingleStrings(text: string): string[] {
  const toks = [...text.matchAll(CODE_TOKEN_RE)].map((m) => m[0]);
  const out = new Set<string>();
  for (let i = 0; i + K <= Math.max(toks.length, K); i++) out.add(toks.slice(i, i + K).join(' '));
  return [...out];
}

const rate = (n: number, ms: number): string => (n / (ms / 1000)).toFixed(0);

function throughput(texts: string[]): void {
  const perms = createPermutations(PERMS, 1);
  const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  let t = performance.now();
  const sets = texts.map((x) => textShingles(x, K));
  const shingleMs = performance.now() - t;
  t = performance.now();
  for (const s of sets) computeSignature(s, perms);
  const sigMs = performance.now() - t;
  t = performance.now();
  for (const x of texts) signText(x, { signature: 'oph', shingleSize: K, numPerm: PERMS, seed: 1, bands: 32, rows: 8 });
  const ophMs = performance.now() - t;
  console.log(`ours, ${texts.length} real files (${(bytes / 1e6).toFixed(1)} MB), ${PERMS} permutations, one core:`);
  console.log(`  tokenize + shingle: ${rate(texts.length, shingleMs)} docs/s, ${(bytes / 1e6 / (shingleMs / 1000)).toFixed(1)} MB/s`);
  console.log(`  signatures:         ${rate(texts.length, sigMs)} docs/s, ${(bytes / 1e6 / (sigMs / 1000)).toFixed(1)} MB/s`);
  console.log(`  end to end:         ${rate(texts.length, shingleMs + sigMs)} docs/s, ${(bytes / 1e6 / ((shingleMs + sigMs) / 1000)).toFixed(1)} MB/s (256 permutations)`);
  console.log(`  end to end, one permutation (the default): ${rate(texts.length, ophMs)} docs/s, ${(bytes / 1e6 / (ophMs / 1000)).toFixed(1)} MB/s`);

  const { Minhash } = createRequire(import.meta.url)('minhash') as { Minhash: new (o: { numPerm: number }) => { update(s: string): void; hashvalues: number[]; permA: number[]; permB: number[]; prime: number } };
  const sample = texts.slice(0, 300);
  const strs = sample.map(shingleStrings);
  const sampleBytes = sample.reduce((a, x) => a + Buffer.byteLength(x), 0);
  t = performance.now();
  for (const ss of strs) {
    const m = new Minhash({ numPerm: PERMS });
    for (const s of ss) m.update(s);
  }
  const npmMs = performance.now() - t;
  t = performance.now();
  for (const s of sample.map((x) => textShingles(x, K))) computeSignature(s, perms);
  const oursSampleMs = performance.now() - t;
  console.log(`minhash npm 0.0.9 on the same shingles (first ${sample.length} files, ${(sampleBytes / 1e6).toFixed(1)} MB), one core:`);
  console.log(`  signatures: ${rate(sample.length, npmMs)} docs/s, ${(sampleBytes / 1e6 / (npmMs / 1000)).toFixed(2)} MB/s — ours ${(npmMs / oursSampleMs).toFixed(0)}× faster (shingling included)`);
  // Its a·h + b mod p runs in doubles with a < 2^32 and h < 2^33: products pass 2^53 and lose low bits.
  const m = new Minhash({ numPerm: PERMS });
  let wrong = 0;
  let total = 0;
  for (let i = 0; i < PERMS; i++) {
    for (let k = 0; k < 200; k++) {
      const h = 2 ** 32 - 1 + ((k * 2654435761) % 2 ** 32);
      const float = (m.permA[i]! * h + m.permB[i]!) % m.prime;
      const exact = Number((BigInt(m.permA[i]!) * BigInt(h) + BigInt(m.permB[i]!)) % BigInt(m.prime));
      if (float !== exact) wrong++;
      total++;
    }
  }
  console.log(`  its "permutations" computed in floating point: ${((100 * wrong) / total).toFixed(1)}% of a·h+b mod p values differ from the exact ones`);
}

interface Variant {
  label: string;
  sign: (shingles: Uint32Array) => Uint32Array;
  bands: number;
  rows: number;
  /** null: estimate only; else estimates within this margin of T are settled by exact Jaccard. */
  exactMargin: number | null;
}

/** LSH precision/recall of one signature + banding + check variant against the exact all-pairs truth. */
function accuracyOf(v: Variant, sets: Uint32Array[], truth: Array<{ a: number; b: number }>): void {
  const n = sets.length;
  const sigs = sets.map((s) => v.sign(s));
  const buckets = new Map<number, number[]>();
  sigs.forEach((sig, i) => {
    if (sets[i]!.length === 0) return;
    for (const k of bandKeys(sig, v.bands, v.rows)) (buckets.get(k) ?? buckets.set(k, []).get(k)!).push(i);
  });
  const cand = new Set<number>();
  for (const list of buckets.values()) for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) cand.add(list[x]! * n + list[y]!);
  const truthKeys = new Set(truth.map((q) => q.a * n + q.b));
  const hit = [...cand].filter((c) => truthKeys.has(c)).length;
  let exactChecks = 0;
  const accepted = [...cand].filter((c) => {
    const [a, b] = [Math.floor(c / n), c % n];
    const e = estimateJaccard(sigs[a]!, sigs[b]!);
    if (v.exactMargin === null || Math.abs(e - T) > v.exactMargin) return e >= T;
    exactChecks++;
    return exactJaccard(sets[a]!, sets[b]!) >= T;
  });
  const accHit = accepted.filter((c) => truthKeys.has(c)).length;
  const errs = [...cand].map((c) => Math.abs(estimateJaccard(sigs[Math.floor(c / n)]!, sigs[c % n]!) - exactJaccard(sets[Math.floor(c / n)]!, sets[c % n]!))).sort((x, y) => x - y);
  const mean = errs.reduce((x, y) => x + y, 0) / Math.max(1, errs.length);
  // What the stage achieves: clusters are connected components, so a pair missed by the bands is still caught through a third file.
  const uf = new UnionFind();
  sets.forEach(() => uf.add());
  for (const c of accepted) uf.union(Math.floor(c / n), c % n);
  const closed = truth.filter((q) => uf.find(q.a) === uf.find(q.b)).length;
  const f = (x: number): string => x.toFixed(3);
  console.log(`  ${v.label} (${v.bands} bands × ${v.rows} rows):`);
  console.log(`    band collisions: ${cand.size} pairs, precision ${f(hit / Math.max(1, cand.size))}, recall ${f(hit / Math.max(1, truth.length))}`);
  console.log(
    `    + ${v.exactMargin === null ? 'estimated J ≥ T' : `estimate, exact J within ±${v.exactMargin} of T (${exactChecks} exact checks)`}: ` +
      `${accepted.length} pairs, precision ${f(accHit / Math.max(1, accepted.length))}, pair recall ${f(accHit / Math.max(1, truth.length))}; true pairs in one cluster ${f(closed / Math.max(1, truth.length))}`,
  );
  console.log(`    estimate vs exact Jaccard on the candidates: mean |error| ${mean.toFixed(4)}, p95 ${errs[Math.floor(errs.length * 0.95)]?.toFixed(4)}, max ${errs[errs.length - 1]?.toFixed(4)}`);
}

function accuracy(texts: string[]): void {
  const sets = texts.map((x) => textShingles(x, K));
  const t = performance.now();
  const truth = exactPairsAbove(sets, T);
  console.log(`LSH at threshold ${T} vs the exact all-pairs join over ${texts.length} real files (${truth.length} pairs with J ≥ ${T}; join ${((performance.now() - t) / 1000).toFixed(1)} s):`);
  const perms = createPermutations(PERMS, 1);
  const oph = createOnePermutation(PERMS, 1);
  const before = optimalLshParams(T, PERMS);
  const now = resolveNearDedupOptions();
  accuracyOf({ label: 'before: 256-permutation MinHash, FP = FN weights, estimate check', sign: (s) => computeSignature(s, perms), bands: before.bands, rows: before.rows, exactMargin: null }, sets, truth);
  accuracyOf({ label: 'one permutation (the default signature), old bands and check', sign: (s) => ophSignature(s, oph), bands: before.bands, rows: before.rows, exactMargin: null }, sets, truth);
  accuracyOf({ label: `now (the default): one permutation, FN weighed ${now.lsh.fnWeight}, verify "${now.verify}"`, sign: (s) => ophSignature(s, oph), bands: now.lsh.bands, rows: now.lsh.rows, exactMargin: now.exactMargin }, sets, truth);
}

function scale(): void {
  const child = fileURLToPath(new URL('./dedup-scale.js', import.meta.url));
  for (const n of [100_000, 1_000_000]) {
    // The main thread's V8 old space is capped: finishing at 1M documents proves the live state stays small.
    const args = [`--max-old-space-size=${HEAP_CAP_MB}`, child, String(n), '2'];
    const r = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as { ms: number; kept: number; dropped: number; maxRssKb: number };
    console.log(
      `near-dedup stage, ${n.toLocaleString('en-US')} synthetic 40-token docs, 2 worker threads, heap capped at ${HEAP_CAP_MB} MB: ` +
        `${(r.ms / 1000).toFixed(1)} s (${rate(n, r.ms)} docs/s), peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB, ${r.dropped} near-duplicates dropped (${n / 10} planted)`,
    );
  }
}

function main(): void {
  if (process.argv.includes('--only-scale')) return scale();
  const { texts, bytes } = loadCorpus();
  console.log(`incorpus bench:dedup — ${texts.length} distinct real files (${(bytes / 1e6).toFixed(1)} MB) from ${TREES.filter(existsSync).join(', ')}`);
  throughput(texts);
  accuracy(texts);
  if (!process.argv.includes('--no-scale')) scale();
}

main();
