import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Doc } from '../pipeline/doc.js';
import { InputError } from '../pipeline/errors.js';
import { createWorkerStage } from '../pipeline/worker-chain.js';
import { createFilter, type FilterResult, type Stage } from '../pipeline/stage.js';
import { loadBenchmarks, ngramKeys, type BenchmarkIndex } from './benchmark-ngrams.js';
import { CODE_TOKEN_RE, tokenHashes } from './code-tokens.js';

/** Benchmark decontamination options (config section `decontaminate`; CLI `rebuild --decontaminate <file...>`). */
export interface DecontaminateOptions {
  /** Benchmark files: JSONL/JSON (HumanEval, MBPP, VerilogEval, RTLLM …) or plain source files. @default [] */
  files: string[];
  /** Tokens per n-gram (13, as bigcode and NeMo Curator decontaminate). @default 13 */
  ngram: number;
  /** `drop` the file, or `flag` it (kept, with an annotation). @default "drop" */
  action: string;
  /** Shared n-grams needed to act. @default 1 */
  minMatches: number;
}

export const DEFAULT_DECONTAMINATE_OPTIONS: Readonly<DecontaminateOptions> = { files: [], ngram: 13, action: 'drop', minMatches: 1 };

/**
 * Drops (or flags) files sharing an n-gram with a benchmark the user names.
 * Placed before near-dedup so a contaminated file is never chosen to represent
 * a cluster whose other members would then be lost with it.
 */
export function createDecontaminateStage(opts: Partial<DecontaminateOptions> = {}): Stage {
  const options = { ...DEFAULT_DECONTAMINATE_OPTIONS, ...opts, files: [...(opts.files ?? [])] };
  if (options.action !== 'drop' && options.action !== 'flag') throw new InputError(`decontaminate.action must be "drop" or "flag", got ${JSON.stringify(options.action)}`);
  if (!Number.isInteger(options.ngram) || options.ngram < 4 || options.ngram > 64) throw new InputError(`decontaminate.ngram must be an integer in 4..64, got ${options.ngram}`);
  if (!Number.isInteger(options.minMatches) || options.minMatches < 1) throw new InputError(`decontaminate.minMatches must be a positive integer, got ${options.minMatches}`);
  const index = options.files.length > 0 ? loadBenchmarks(options.files, options.ngram) : null;
  const recorded = { ...options, benchmarkRecords: index?.records ?? 0, benchmarkNgrams: index?.keys.size ?? 0 };
  // Nothing to look for: a pass-through that never needs the text.
  if (!index || index.keys.size === 0) return { ...createFilter('decontaminate', recorded, () => true), lazyText: true };
  // The content digest makes the memo forget results when a benchmark file changes under the same name.
  const digest = createHash('sha256');
  for (const f of options.files) digest.update(readFileSync(f));
  return createWorkerStage({
    name: 'decontaminate',
    options: recorded,
    stepOptions: { ...options, benchmarkDigest: digest.digest('hex') },
    step: { module: new URL('./decontaminate.js', import.meta.url).href, fn: 'decontaminateStep' },
  });
}

/** Benchmark indexes loaded by this thread, by digest (a worker loads its own copy once). */
const indexes = new Map<string, BenchmarkIndex>();

/** The stage's worker step. */
export function decontaminateStep(doc: Doc, o: DecontaminateOptions & { benchmarkDigest: string }): FilterResult {
  let index = indexes.get(o.benchmarkDigest);
  if (!index) indexes.set(o.benchmarkDigest, (index = loadBenchmarks(o.files, o.ngram)));
  if (doc.text === null) return true;
  const hit = findOverlap(doc.text, index, o.minMatches);
  if (!hit) return true;
  if (o.action === 'flag') {
    doc.annotations.contamination = hit;
    return true;
  }
  return { reason: 'benchmark-overlap', details: hit };
}

export type OverlapHit = {
  benchmark: string;
  ngram: number;
  matches: number;
  excerpt: string;
};

/** The first benchmark n-gram found in a text, with how many distinct ones overlap. */
export function findOverlap(text: string, index: BenchmarkIndex, minMatches: number): OverlapHit | null {
  const keys = ngramKeys(tokenHashes(text), index.ngram);
  let first = -1;
  const seen = new Set<number>();
  for (let i = 0; i < keys.length; i++) {
    if (!index.keys.has(keys[i]!)) continue;
    if (first < 0) first = i;
    seen.add(keys[i]!);
  }
  if (first < 0 || seen.size < minMatches) return null;
  return { benchmark: index.keys.get(keys[first]!)!, ngram: index.ngram, matches: seen.size, excerpt: excerptAt(text, first, index.ngram) };
}

function excerptAt(text: string, tokenIndex: number, n: number): string {
  const tokens = [...text.matchAll(CODE_TOKEN_RE)];
  const start = tokens[tokenIndex]?.index ?? 0;
  const last = tokens[tokenIndex + n - 1];
  const end = last ? last.index + last[0].length : start;
  return text.slice(start, Math.min(end, start + 200));
}
