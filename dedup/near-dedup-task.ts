import { decompressBlob } from '../corpus/blobs.js';
import type { StoredBlob } from '../pipeline/doc-patch.js';
import { shingleStream, textShingles, tokenHashes } from './code-tokens.js';
import { createOnePermutation, ophSignature, type OnePermutation } from './one-permutation.js';
import { bandKeys, computeSignature, createPermutations, type Permutations } from './minhash.js';

/** How signatures are made (part of the memo key of a signature). */
export interface SignConfig {
  /** `oph` (one permutation, empty bins re-hashed; the default) or `minhash` (numPerm permutations). */
  signature: string;
  shingleSize: number;
  numPerm: number;
  seed: number;
  bands: number;
  rows: number;
}

/** One document to sign on a worker: its text, or the blob to decode; results are set in place. */
export interface SignItem {
  text: string | null;
  blob: StoredBlob | null;
  /** Also return its shingle set (cross-source snippets need it). */
  wantShingles: boolean;
  sig?: Uint32Array;
  keys?: Float64Array;
  shingles?: Uint32Array | null;
}

/** Shingle sets of repository files, for containment checks (text or blob in, shingles out). */
export interface ShingleItem {
  text: string | null;
  blob: StoredBlob | null;
  shingles?: Uint32Array;
}

let cached: { key: string; perms: Permutations | OnePermutation } | null = null;

function hashing(c: SignConfig): Permutations | OnePermutation {
  const key = `${c.signature}:${c.numPerm}:${c.seed}`;
  if (cached?.key !== key) cached = { key, perms: c.signature === 'minhash' ? createPermutations(c.numPerm, c.seed) : createOnePermutation(c.numPerm, c.seed) };
  return cached.perms;
}

/** The signature of a text under a sign config (the shingles are not deduplicated: a minimum ignores repeats). */
export function signText(text: string, c: SignConfig): Uint32Array {
  const shingles = shingleStream(tokenHashes(text), c.shingleSize);
  const h = hashing(c);
  return 'bins' in h ? ophSignature(shingles, h) : computeSignature(shingles, h);
}

function textOf(item: { text: string | null; blob: StoredBlob | null }): string {
  const text = item.text ?? (item.blob ? decompressBlob(item.blob.codec, item.blob.data).toString('utf8') : '');
  // Nothing of the input goes back to the main thread.
  item.text = null;
  item.blob = null;
  return text;
}

/** Worker step of pass 1: shingles, signature and band keys of one document. */
export function signStep(item: SignItem, c: SignConfig): void {
  const text = textOf(item);
  const sig = signText(text, c);
  item.sig = sig;
  item.keys = bandKeys(sig, c.bands, c.rows);
  item.shingles = item.wantShingles ? textShingles(text, c.shingleSize) : null;
}

/** Worker step of the snippet pass. */
export function shingleStep(item: ShingleItem, o: { shingleSize: number }): void {
  item.shingles = textShingles(textOf(item), o.shingleSize);
}

export const NEAR_DEDUP_TASK_MODULE = new URL('./near-dedup-task.js', import.meta.url).href;
