import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../pipeline/errors.js';
import { fmix32, tokenHashes } from './code-tokens.js';

/**
 * N-gram index of benchmark texts (prompts, reference solutions, tests) for
 * decontamination, in the spirit of bigcode's and NeMo Curator's 13-gram
 * checks but over code tokens, so re-indenting a solution does not hide it.
 * Keys are 52-bit (two independent 32-bit hashes): with a million benchmark
 * n-grams a random file n-gram collides with probability ~2·10⁻¹⁰, where 32-bit
 * keys would give one false hit per few thousand n-grams.
 */
export interface BenchmarkIndex {
  ngram: number;
  /** n-gram key → label of the first benchmark record containing it. */
  keys: Map<number, string>;
  records: number;
  /** Texts shorter than one n-gram: too short to be evidence, skipped. */
  skipped: number;
}

/** 52-bit keys of every n-gram of a token sequence, in order. */
export function ngramKeys(tokens: Uint32Array, n: number): Float64Array {
  const count = Math.max(0, tokens.length - n + 1);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let h1 = 0x3c6ef372 ^ n;
    let h2 = 0xa54ff53a;
    for (let j = 0; j < n; j++) {
      const t = tokens[i + j]!;
      h1 = fmix32((Math.imul(h1, 0x01000193) ^ t) >>> 0);
      h2 = fmix32((h2 + Math.imul(t, 0x9e3779b1) + j) >>> 0);
    }
    out[i] = (h1 & 0xfffff) * 2 ** 32 + h2;
  }
  return out;
}

/** Loads benchmark files: JSONL/JSON (every string field is one text) or plain files (the whole file is one text). */
export function loadBenchmarks(files: readonly string[], ngram: number): BenchmarkIndex {
  const index: BenchmarkIndex = { ngram, keys: new Map(), records: 0, skipped: 0 };
  for (const file of files) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read benchmark file ${file}: ${(err as Error).message}`, { cause: err });
    }
    for (const { label, texts } of benchmarkRecords(file, content)) {
      index.records++;
      for (const text of texts) addText(index, label, text);
    }
  }
  return index;
}

function addText(index: BenchmarkIndex, label: string, text: string): void {
  const keys = ngramKeys(tokenHashes(text), index.ngram);
  if (keys.length === 0) index.skipped++;
  for (const k of keys) if (!index.keys.has(k)) index.keys.set(k, label);
}

function* benchmarkRecords(file: string, content: string): Generator<{ label: string; texts: string[] }> {
  const name = basename(file);
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    const lines = content.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue;
      const value = parseJson(lines[i]!, `${file}:${i + 1}`);
      yield { label: `${name}:${recordName(value) ?? i + 1}`, texts: stringsIn(value) };
    }
  } else if (ext === '.json') {
    const value = parseJson(content, file);
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) yield { label: `${name}:${recordName(items[i]) ?? i}`, texts: stringsIn(items[i]) };
  } else {
    yield { label: name, texts: [content] };
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(`benchmark ${where} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** HumanEval/MBPP/VerilogEval records carry an id field; it makes `why` readable. */
function recordName(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  for (const k of ['task_id', 'id', 'name', 'problem_id']) if (typeof r[k] === 'string' || typeof r[k] === 'number') return String(r[k]);
  return null;
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => stringsIn(v, out));
  return out;
}
