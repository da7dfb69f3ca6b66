/**
 * Code-aware tokens and shingles for near-dedup and decontamination.
 *
 * Tokens are identifiers/keywords, numbers (incl. Verilog sized literals such as
 * 8'hFF, which stay one token) and single punctuation characters; whitespace is
 * ignored, so re-indentation or re-wrapping does not change the shingles.
 * Hashes are 32-bit FNV-1a/murmur-finalized integers computed in exact integer
 * arithmetic (Math.imul), never floats.
 */

// Identifier | number (with Verilog base/size and C suffixes) | any other non-space char.
export const CODE_TOKEN_RE = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9][0-9A-Za-z_.']*|'[sS]?[bBoOdDhH][0-9A-Fa-f_xXzZ?]+|\S/gu;

/** 32-bit FNV-1a over UTF-16 code units, then murmur3's fmix32 to spread low-entropy tokens. */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finalizer: a bijection on 32-bit integers with good avalanche. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Token hashes of a text, in order. */
export function tokenHashes(text: string): Uint32Array {
  const out: number[] = [];
  for (const m of text.matchAll(CODE_TOKEN_RE)) out.push(hashToken(m[0]));
  return Uint32Array.from(out);
}

/** Combines k consecutive token hashes into one 32-bit shingle hash (order-sensitive). */
function combine(tokens: Uint32Array, start: number, k: number): number {
  let h = 0x9e3779b9 ^ k;
  for (let j = 0; j < k; j++) h = fmix32(Math.imul(h ^ tokens[start + j]!, 0x27d4eb2f) + j);
  return h;
}

/**
 * Distinct k-gram shingle hashes of a token sequence, sorted ascending. A text
 * shorter than k tokens yields one shingle of all its tokens (so tiny files
 * still compare equal to themselves, as datatrove does).
 */
export function shingleHashes(tokens: Uint32Array, k: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const n = Math.max(1, tokens.length - k + 1);
  const width = Math.min(k, tokens.length);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = combine(tokens, i, width);
  out.sort();
  return uniqueSorted(out);
}

/** Removes repeats from a sorted array (returns a view when nothing repeats). */
export function uniqueSorted(sorted: Uint32Array): Uint32Array {
  if (sorted.length < 2) return sorted;
  let w = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[w - 1]) sorted[w++] = sorted[i]!;
  return sorted.subarray(0, w);
}

/** Shingles of a text: tokenize, then k-grams. */
export function textShingles(text: string, k: number): Uint32Array {
  return shingleHashes(tokenHashes(text), k);
}

/** Exact Jaccard of two sorted distinct hash arrays. */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  const inter = intersectionSize(a, b);
  return inter / (a.length + b.length - inter);
}

/** |a ∩ b| for sorted distinct arrays, by merge. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}
