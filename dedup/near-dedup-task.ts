import { textShingles } from './code-tokens.js';
import { bandKeys, computeSignature, createPermutations, type Permutations } from './minhash.js';

/** One batch of texts to sign on a worker thread. */
export interface SignTask {
  kind: 'sign';
  texts: string[];
  /** Per text: also return its shingle set (cross-source snippets need it). */
  wantShingles: boolean[];
  shingleSize: number;
  numPerm: number;
  seed: number;
  bands: number;
  rows: number;
}

export interface SignResult {
  sig: Uint32Array;
  keys: Float64Array;
  shingleCount: number;
  shingles: Uint32Array | null;
}

/** Shingle sets of a batch of texts (containment checks of repository files). */
export interface ShingleTask {
  kind: 'shingles';
  texts: string[];
  shingleSize: number;
}

let cached: Permutations | null = null;
let cachedKey = '';

function permutations(numPerm: number, seed: number): Permutations {
  const key = `${numPerm}:${seed}`;
  if (key !== cachedKey) {
    cached = createPermutations(numPerm, seed);
    cachedKey = key;
  }
  return cached!;
}

/** Pure and thread-safe: runs on the workers (and in tests on the main thread). */
export function signTexts(task: SignTask): SignResult[] {
  const perms = permutations(task.numPerm, task.seed);
  return task.texts.map((text, i) => {
    const shingles = textShingles(text, task.shingleSize);
    const sig = computeSignature(shingles, perms);
    return { sig, keys: bandKeys(sig, task.bands, task.rows), shingleCount: shingles.length, shingles: task.wantShingles[i] ? shingles : null };
  });
}

export function shingleTexts(task: ShingleTask): Uint32Array[] {
  return task.texts.map((t) => textShingles(t, task.shingleSize));
}
