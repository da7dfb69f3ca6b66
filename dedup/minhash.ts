import { fmix32 } from './code-tokens.js';

/**
 * MinHash signatures in exact 32-bit integer arithmetic on typed arrays.
 *
 * Permutation i maps a shingle hash x to fmix32(a_i·x + b_i mod 2^32) with a_i
 * odd: multiplying by an odd number, adding, and murmur3's finalizer are each
 * bijections of the 32-bit space, so every "permutation" really is one. (The
 * `minhash` npm package computes a·h + b mod p in floating point past 2^53, so
 * its permutations are not permutations, and it re-hashes the string once per
 * permutation; bench/dedup.ts measures both.)
 */
export interface Permutations {
  readonly numPerm: number;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
}

/** Deterministic permutation parameters from a seed (the same seed gives the same signatures everywhere). */
export function createPermutations(numPerm: number, seed = 1): Permutations {
  const a = new Uint32Array(numPerm);
  const b = new Uint32Array(numPerm);
  let state = fmix32(seed ^ 0x5bd1e995);
  const next = (): number => (state = fmix32((state + 0x9e3779b9) >>> 0));
  for (let i = 0; i < numPerm; i++) {
    a[i] = (next() | 1) >>> 0;
    b[i] = next();
  }
  return { numPerm, a, b };
}

/**
 * The signature of a shingle set: per permutation, the minimum permuted value.
 * An empty set gets all 0xffffffff (it matches only other empty sets).
 */
export function computeSignature(shingles: Uint32Array, perms: Permutations, out = new Uint32Array(perms.numPerm)): Uint32Array {
  const { a, b, numPerm } = perms;
  const n = shingles.length;
  // Permutation-outer order keeps a_i, b_i and the running minimum in registers (~1.6× faster than shingle-outer).
  for (let i = 0; i < numPerm; i++) out[i] = minUnder(shingles, n, a[i]!, b[i]!);
  return out;
}

/** The minimum of the shingles under one permutation (a·x + b, then fmix32): the MinHash of the set for it. */
export function minUnder(shingles: Uint32Array, n: number, ai: number, bi: number): number {
  let min = 0xffffffff;
  for (let s = 0; s < n; s++) {
    // V8 inlines fmix32 here: measured the same as a hand-inlined copy.
    const v = fmix32((Math.imul(shingles[s]!, ai) + bi) | 0);
    if (v < min) min = v;
  }
  return min;
}

/** Share of equal positions: the unbiased MinHash estimate of Jaccard similarity. */
export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  const n = Math.min(x.length, y.length);
  if (n === 0) return 0;
  let eq = 0;
  for (let i = 0; i < n; i++) if (x[i] === y[i]) eq++;
  return eq / n;
}

/**
 * One 52-bit integer key per band (band index in the top 12 bits, a 40-bit hash
 * of the band's rows below): a safe JS integer and a plain SQLite INTEGER, so
 * buckets sort and compare without BigInt. 40 bits per band keep accidental
 * collisions to ~n²/2^41 per band, and a false candidate only costs a check.
 */
export function bandKeys(sig: Uint32Array, bands: number, rows: number): Float64Array {
  const keys = new Float64Array(bands);
  for (let band = 0; band < bands; band++) {
    let h1 = 0x12345678 ^ band;
    let h2 = 0x9abcdef0 ^ Math.imul(band, 0x85ebca6b);
    for (let r = 0; r < rows; r++) {
      const v = sig[band * rows + r]!;
      h1 = fmix32((Math.imul(h1, 31) + v) >>> 0);
      h2 = fmix32((h2 ^ Math.imul(v, 0xcc9e2d51)) >>> 0);
    }
    keys[band] = band * 2 ** 40 + (h1 & 0xff) * 2 ** 32 + h2;
  }
  return keys;
}
