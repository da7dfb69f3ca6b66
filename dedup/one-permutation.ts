import { fmix32 } from './code-tokens.js';
import { minUnder } from './minhash.js';

/**
 * One-permutation hashing (Li, Owen & Zhang, NIPS 2012) with empty bins filled
 * by their own permutation: instead of K independent permutations — K hash
 * evaluations per shingle, O(N·K) — one permutation of the 32-bit space is
 * split into K equal ranges ("bins"); each shingle is hashed once and lowers
 * the minimum of the bin its value falls in, O(N + K). Two documents agree in
 * a bin with probability equal to their Jaccard similarity J (the first
 * element of A ∪ B in the bin's range lies in A ∩ B with probability J), so the
 * estimator is the same share of equal positions as MinHash; with most bins
 * full its variance is below MinHash's (sampling without replacement).
 *
 * Empty bins: densification (Shrivastava & Li 2014; "optimal", Shrivastava
 * ICML 2017) copies a neighbour's value, which makes bins of short documents
 * correlated — measured here, 15–20 % more error than MinHash below ~200
 * shingles, the usual size of a header file. We fill an empty bin i instead
 * with MinHash under bin i's own permutation over the whole set: when A ∪ B
 * has nothing in bin i both documents take that branch and agree with
 * probability J again; when only one of them is empty they differ, as they
 * must (the other's value lies in the bin's range). Unbiased, bins
 * independent, and still O(N + K) for documents with N ≫ K shingles; a short
 * document pays N per empty bin, at most K² — cheap where N < K.
 */
export interface OnePermutation {
  readonly bins: number;
  readonly a: number;
  readonly b: number;
  /** Per bin: the permutation an empty bin falls back to. */
  readonly fillA: Uint32Array;
  readonly fillB: Uint32Array;
}

/** Marks a bin not yet filled (a shingle hashing to exactly 2³²−1 in the last bin reads as empty: probability 2⁻³²). */
const EMPTY = 0xffffffff;
const TWO_POW_NEG_32 = 2 ** -32;

export function createOnePermutation(bins: number, seed = 1): OnePermutation {
  let state = fmix32(seed ^ 0x27d4eb2f);
  const next = (): number => (state = fmix32((state + 0x9e3779b9) >>> 0));
  const a = (next() | 1) >>> 0;
  const b = next();
  const fillA = new Uint32Array(bins);
  const fillB = new Uint32Array(bins);
  for (let i = 0; i < bins; i++) {
    fillA[i] = (next() | 1) >>> 0;
    fillB[i] = next();
  }
  return { bins, a, b, fillA, fillB };
}

/** The signature of a sorted or unsorted multiset of shingle hashes (repeats change nothing). */
export function ophSignature(shingles: Uint32Array, p: OnePermutation, out = new Uint32Array(p.bins)): Uint32Array {
  out.fill(EMPTY);
  const { a, b, bins } = p;
  for (let s = 0; s < shingles.length; s++) {
    const v = fmix32((Math.imul(shingles[s]!, a) + b) | 0);
    // Bin = the range of the 32-bit space v falls in: exact in doubles (v·bins < 2⁵³).
    const bin = (v * bins * TWO_POW_NEG_32) | 0;
    if (v < out[bin]!) out[bin] = v;
  }
  return fillEmpty(out, shingles, p);
}

/** Every empty bin takes the MinHash of the whole set under its own permutation (see above). */
function fillEmpty(sig: Uint32Array, shingles: Uint32Array, p: OnePermutation): Uint32Array {
  if (shingles.length === 0) return sig;
  for (let i = 0; i < p.bins; i++) {
    if (sig[i] !== EMPTY) continue;
    sig[i] = minUnder(shingles, shingles.length, p.fillA[i]!, p.fillB[i]!);
  }
  return sig;
}
