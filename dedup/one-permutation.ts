import { fmix32 } from './code-tokens.js';

/**
 * One-permutation hashing with optimal densification (Li, Owen & Zhang 2012;
 * Shrivastava, ICML 2017): instead of K independent permutations — K hash
 * evaluations per shingle, O(N·K) — one permutation of the 32-bit space is
 * split into K equal ranges ("bins"); each shingle is hashed once and lowers
 * the minimum of the bin its value falls in, O(N + K). Two documents agree in a
 * bin with probability equal to their Jaccard similarity, like K-permutation
 * MinHash (the estimator is the same share of equal positions, and as sampling
 * without replacement its variance is no larger). Bins no shingle fell in are
 * filled by optimal densification: empty bin i copies the value of the first
 * non-empty bin on its own pseudo-random probe sequence h_i(1), h_i(2), …, so
 * two documents that are both empty at i follow the same probes and agree
 * exactly when the donors agree — the collision probability stays J.
 */
export interface OnePermutation {
  readonly bins: number;
  readonly a: number;
  readonly b: number;
  readonly probeSeed: number;
}

/** Marks an empty bin (a shingle hashing to exactly 2³²−1 in the last bin is read as empty: probability 2⁻³²). */
const EMPTY = 0xffffffff;
const TWO_POW_NEG_32 = 2 ** -32;

export function createOnePermutation(bins: number, seed = 1): OnePermutation {
  let state = fmix32(seed ^ 0x27d4eb2f);
  const next = (): number => (state = fmix32((state + 0x9e3779b9) >>> 0));
  return { bins, a: (next() | 1) >>> 0, b: next(), probeSeed: next() };
}

let filled = new Uint8Array(256);

/** The signature of a sorted or unsorted multiset of shingle hashes (repeats change nothing). */
export function ophSignature(shingles: Uint32Array, p: OnePermutation, out = new Uint32Array(p.bins)): Uint32Array {
  out.fill(EMPTY);
  const { a, b, bins } = p;
  for (let s = 0; s < shingles.length; s++) {
    let h = (Math.imul(shingles[s]!, a) + b) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const v = h >>> 0;
    // Bin = the range of the 32-bit space v falls in: exact in doubles (v·bins < 2⁵³).
    const bin = (v * bins * TWO_POW_NEG_32) | 0;
    if (v < out[bin]!) out[bin] = v;
  }
  return densify(out, p);
}

/** Optimal densification (Shrivastava 2017): every empty bin borrows from its first non-empty probe. */
function densify(sig: Uint32Array, p: OnePermutation): Uint32Array {
  const bins = p.bins;
  if (filled.length < bins) filled = new Uint8Array(bins);
  let nonEmpty = 0;
  for (let i = 0; i < bins; i++) {
    const f = sig[i] !== EMPTY ? 1 : 0;
    filled[i] = f;
    nonEmpty += f;
  }
  // No shingle at all: every bin stays empty (such a document matches only other empty ones).
  if (nonEmpty === 0 || nonEmpty === bins) return sig;
  for (let i = 0; i < bins; i++) {
    if (filled[i]) continue;
    for (let attempt = 1; ; attempt++) {
      const h = fmix32((Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b) ^ p.probeSeed) >>> 0);
      const j = (h * bins * TWO_POW_NEG_32) | 0;
      if (filled[j]) {
        sig[i] = sig[j]!;
        break;
      }
    }
  }
  return sig;
}
