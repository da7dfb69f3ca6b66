import { createRandom } from '../../pipeline/seeded-random.js';

/**
 * A fastText-style text classifier reduced to what recall needs: token uni- and
 * bigrams hashed into a fixed number of buckets (the hashing trick, as fastText's
 * `-bucket`), binary presence, L2-normalised, and a logistic regression trained by
 * SGD. Written here rather than binding fastText because its native and wasm
 * builds need a toolchain and a file-based API, while this trains on thousands of
 * files in well under a second and its weights fit in one database row.
 */

export interface NgramParams {
  /** Hash buckets (a power of two). @default 2^18 */
  buckets: number;
  /** Longest token n-gram. @default 2 */
  ngrams: number;
  /** Passes over the training set. @default 10 */
  epochs: number;
  /** SGD step size. @default 0.5 */
  learningRate: number;
  /** L2 penalty per step. @default 1e-6 */
  l2: number;
  /** Characters of each file looked at. @default 32768 */
  maxChars: number;
  /** Shuffling seed, so a retrain on the same data gives the same model. @default 'recall' */
  seed: string;
}

export const DEFAULT_NGRAM_PARAMS: NgramParams = {
  buckets: 2 ** 18, ngrams: 2, epochs: 10, learningRate: 0.5, l2: 1e-6, maxChars: 32_768, seed: 'recall',
};

export interface NgramModel {
  params: NgramParams;
  weights: Float32Array;
  bias: number;
}

// Identifiers, numbers, and single punctuation marks: `@triton.jit` → @ triton . jit.
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[^\sA-Za-z0-9_]/g;

/** FNV-1a, 32 bits: fast, and stable across runs and machines (unlike a seeded hash). */
function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The distinct hashed n-gram buckets of a text, sorted. */
export function featurize(text: string, p: Pick<NgramParams, 'buckets' | 'ngrams' | 'maxChars'>): Uint32Array {
  const tokens = text.slice(0, p.maxChars).match(TOKEN) ?? [];
  const mask = p.buckets - 1;
  const set = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    let h = 0x811c9dc5;
    for (let n = 0; n < p.ngrams && i + n < tokens.length; n++) {
      h = fnv1a(tokens[i + n]!, n === 0 ? h : fnv1a(' ', h));
      set.add(h & mask);
    }
  }
  return Uint32Array.from([...set].sort((a, b) => a - b));
}

function score(m: NgramModel, f: Uint32Array): number {
  if (f.length === 0) return m.bias;
  let s = 0;
  for (let i = 0; i < f.length; i++) s += m.weights[f[i]!]!;
  return m.bias + s / Math.sqrt(f.length);
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Probability that a featurized file is industrial. */
export function predict(m: NgramModel, f: Uint32Array): number {
  return sigmoid(score(m, f));
}

export interface Example {
  features: Uint32Array;
  label: 0 | 1;
}

/** Logistic regression by SGD; classes are weighted so a 1:10 imbalance does not swamp positives. */
export function trainNgramModel(examples: readonly Example[], params: NgramParams = DEFAULT_NGRAM_PARAMS): NgramModel {
  const m: NgramModel = { params, weights: new Float32Array(params.buckets), bias: 0 };
  const pos = examples.filter((e) => e.label === 1).length;
  const neg = examples.length - pos;
  const weightOf = (y: number): number => (y === 1 ? examples.length / (2 * Math.max(1, pos)) : examples.length / (2 * Math.max(1, neg)));
  const rnd = createRandom(params.seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rnd.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = params.learningRate / (1 + epoch * 0.2);
    for (const idx of order) {
      const e = examples[idx]!;
      const g = (sigmoid(score(m, e.features)) - e.label) * weightOf(e.label) * lr;
      const x = e.features.length === 0 ? 0 : 1 / Math.sqrt(e.features.length);
      for (let k = 0; k < e.features.length; k++) {
        const b = e.features[k]!;
        m.weights[b] = m.weights[b]! * (1 - params.l2) - g * x;
      }
      m.bias -= g * 0.1;
    }
  }
  return m;
}

/** Weights as bytes for the database (little-endian float32, as the platform stores them). */
export function serializeWeights(m: NgramModel): Buffer {
  return Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength);
}

export function deserializeModel(params: NgramParams & { bias: number }, weights: Buffer): NgramModel {
  const copy = new Uint8Array(weights);
  return { params, weights: new Float32Array(copy.buffer, 0, params.buckets), bias: params.bias };
}
