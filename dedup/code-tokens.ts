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

/** Token hashes of a text, in order (the tokens of CODE_TOKEN_RE, hashed as hashToken does). */
export function tokenHashes(text: string): Uint32Array {
  let out = new Uint32Array(Math.max(16, text.length >>> 2));
  let n = 0;
  const len = text.length;
  for (let i = 0; i < len; ) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const end = tokenEnd(text, i, c, len);
    // FNV-1a over the token's code units, then fmix32: hashToken without the substring.
    let h = 0x811c9dc5;
    for (let j = i; j < end; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
    if (n === out.length) {
      const grown = new Uint32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = fmix32(h);
    i = end;
  }
  return out.subarray(0, n);
}

/**
 * Where the token starting at i ends, by CODE_TOKEN_RE's alternatives in
 * order: identifier, number, Verilog based literal, any other code point. A
 * scanner instead of the regex because tokenizing is most of near-dedup's time
 * once signatures cost O(1) per shingle (bench/dedup.ts; tests/dedup prove
 * both give the same tokens).
 */
function tokenEnd(text: string, i: number, c: number, len: number): number {
  if (isIdentStart(c)) {
    let j = i + 1;
    while (j < len && isIdentPart(text.charCodeAt(j))) j++;
    return j;
  }
  if (c >= 48 && c <= 57) {
    let j = i + 1;
    while (j < len && isNumberPart(text.charCodeAt(j))) j++;
    return j;
  }
  if (c === 39) {
    // '[sS]?[bBoOdDhH][0-9A-Fa-f_xXzZ?]+ — `s` is not a base letter, so at most one reading fits.
    let j = i + 1;
    const s = text.charCodeAt(j);
    if (s === 115 || s === 83) j++;
    if (j < len && isBase(text.charCodeAt(j)) && j + 1 < len && isBasedDigit(text.charCodeAt(j + 1))) {
      j += 2;
      while (j < len && isBasedDigit(text.charCodeAt(j))) j++;
      return j;
    }
    return i + 1;
  }
  // \S with the u flag: a surrogate pair is one code point.
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return i + 2;
  }
  return i + 1;
}

/** JavaScript's \s: ASCII whitespace, NBSP, BOM and the Unicode space separators and line terminators. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isIdentStart = (c: number): boolean => isAlpha(c) || c === 95 || c === 36;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);
const isNumberPart = (c: number): boolean => isAlpha(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 39;
const isBase = (c: number): boolean => c === 98 || c === 66 || c === 111 || c === 79 || c === 100 || c === 68 || c === 104 || c === 72;
const isBasedDigit = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 95 || c === 120 || c === 88 || c === 122 || c === 90 || c === 63;

/**
 * Combines k consecutive token hashes into one 32-bit shingle hash
 * (order-sensitive): a murmur3-style rotate-xor-multiply per token and one
 * finalizer, since the token hashes are already mixed — a third of the cost
 * of a finalizer per token, and shingling is near-dedup's hot loop.
 */
function combine(tokens: Uint32Array, start: number, k: number): number {
  let h = 0x9e3779b9 ^ k;
  for (let j = 0; j < k; j++) h = Math.imul(((h << 13) | (h >>> 19)) ^ tokens[start + j]!, 0x85ebca6b) + 0xe6546b64;
  return fmix32(h | 0);
}

/**
 * Distinct k-gram shingle hashes of a token sequence, sorted ascending. A text
 * shorter than k tokens yields one shingle of all its tokens (so tiny files
 * still compare equal to themselves, as datatrove does).
 */
export function shingleHashes(tokens: Uint32Array, k: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const out = shingleStream(tokens, k);
  out.sort();
  return uniqueSorted(out);
}

/**
 * Every k-gram shingle hash of a token sequence in text order, repeats kept:
 * what a signature needs (a minimum ignores repeats), without the sort.
 */
export function shingleStream(tokens: Uint32Array, k: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const n = Math.max(1, tokens.length - k + 1);
  const width = Math.min(k, tokens.length);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = combine(tokens, i, width);
  return out;
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
