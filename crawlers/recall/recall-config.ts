import { readFileSync } from 'node:fs';
import { InputError } from '../../pipeline/errors.js';
import { DEFAULT_NGRAM_PARAMS, type NgramParams } from './ngram-classifier.js';

/**
 * The recall configuration. Defaults follow the InCoder-32B recall recipe and the
 * signals in ANCHORS.md (languages, topics, content markers per domain); a JSON
 * file given with `recall --config` overrides any part, and unknown keys are errors.
 */
export interface RecallConfig {
  rule: {
    /** Repository searches per domain; `qualifiers` is appended to each. */
    queries: Array<{ domain: string; q: string }>;
    /** Code searches for content markers (first 1,000 matching files each; no qualifiers added). */
    codeQueries: string[];
    /** Added to every rule and broad query, e.g. a star floor. @default 'stars:>=10' */
    qualifiers: string;
    /** Repositories taken per query. @default 300 */
    perQueryLimit: number;
    /** Share of a repository's code files with an industrial marker for rule acceptance. @default 0.2 */
    minScore: number;
  };
  classifier: {
    /** Broad queries whose repositories the classifier scores. */
    broadQueries: string[];
    /** @default 300 */
    perQueryLimit: number;
    /** Mean file probability at which a repository is accepted. @default 0.5 */
    acceptScore: number;
    /** Rule-accepted repositories below this are rule false positives and rejected. @default 0.4 */
    vetoBelow: number;
    /** Retrain on all accepted/rejected repositories after each expansion round that accepted some. @default true */
    retrainEachRound: boolean;
    /** Share of labelled files held out to measure precision and recall. @default 0.2 */
    holdout: number;
    params: NgramParams;
  };
  expansion: {
    /** Follow accepted repositories' owners' other repositories. @default true */
    owners: boolean;
    /** Follow fork parents. @default true */
    forkParents: boolean;
    /** Follow .gitmodules, FuseSoC .core and west.yml references. @default true */
    dependencies: boolean;
    /** Terms mined from accepted repositories' READMEs, searched as queries. @default 3 */
    terms: number;
    /** @default 50 */
    perTermLimit: number;
    /** New candidates per round at most. @default 500 */
    maxCandidatesPerRound: number;
    /** A round accepting fewer than this share of its candidates is the last. @default 0.1 */
    minYield: number;
  };
}

const q = (domain: string, ...queries: string[]) => queries.map((query) => ({ domain, q: query }));

export const DEFAULT_RECALL_CONFIG: RecallConfig = {
  rule: {
    queries: [
      ...q('chip-design', 'language:verilog', 'language:systemverilog', 'language:vhdl', 'topic:fpga', 'topic:rtl', 'topic:asic', 'topic:hdl', 'topic:risc-v', 'topic:soc'),
      ...q('gpu-kernel', 'language:cuda', 'topic:cuda', 'topic:triton', 'topic:gpu-kernel'),
      ...q('embedded', 'topic:stm32', 'topic:cortex-m', 'topic:firmware', 'topic:embedded'),
      ...q('compiler-opt', 'language:assembly topic:compiler', 'language:llvm'),
      ...q('cad-3d', 'topic:cadquery', 'topic:cad language:python'),
    ],
    codeQueries: [
      '"@triton.jit" language:python', '"__global__" language:cuda', '"stm32f4xx.h" language:c', '"import cadquery" language:python',
      '"always_ff" language:systemverilog', '"cq.Workplane" language:python',
    ],
    qualifiers: 'stars:>=10',
    perQueryLimit: 300,
    minScore: 0.2,
  },
  classifier: {
    broadQueries: ['language:c', 'language:cpp', 'language:python', 'language:assembly'],
    perQueryLimit: 300,
    acceptScore: 0.5,
    vetoBelow: 0.4,
    retrainEachRound: true,
    holdout: 0.2,
    params: DEFAULT_NGRAM_PARAMS,
  },
  expansion: {
    owners: true, forkParents: true, dependencies: true, terms: 3, perTermLimit: 50, maxCandidatesPerRound: 500, minYield: 0.1,
  },
};

/** Reads a JSON override and merges it over the defaults, refusing unknown keys and wrong types. */
export function loadRecallConfig(path?: string): RecallConfig {
  if (!path) return DEFAULT_RECALL_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read recall config ${path}: ${(err as Error).message}`, { cause: err });
  }
  return mergeChecked(DEFAULT_RECALL_CONFIG, raw, path) as RecallConfig;
}

function mergeChecked(base: unknown, over: unknown, where: string): unknown {
  if (over === undefined) return base;
  if (Array.isArray(base)) {
    if (!Array.isArray(over)) throw new InputError(`recall config: ${where} must be an array`);
    return over;
  }
  if (base !== null && typeof base === 'object') {
    if (over === null || typeof over !== 'object' || Array.isArray(over)) throw new InputError(`recall config: ${where} must be an object`);
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) {
      if (!(k in out)) throw new InputError(`recall config: unknown key ${where}.${k}`);
      out[k] = mergeChecked(out[k], v, `${where}.${k}`);
    }
    return out;
  }
  if (typeof over !== typeof base) throw new InputError(`recall config: ${where} must be a ${typeof base}, got ${JSON.stringify(over)}`);
  return over;
}
