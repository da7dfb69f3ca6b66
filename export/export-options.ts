import { VERIFY_STATUSES } from '../annotate/verify/classify.js';
import { UsageError } from '../pipeline/errors.js';
import { getFimTokens, isFimPresetName, FIM_PRESET_NAMES, type FimTokens } from './fim-tokens.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';

export type ExportFormat = 'jsonl' | 'parquet';
/** Shard compression: whole-file for JSONL (gzip, zstd frames), page-level for Parquet (snappy, gzip, zstd). */
export type ExportCompression = 'none' | 'gzip' | 'zstd' | 'snappy';
/** How FIM middles are chosen: random characters, syntax nodes, or a mix of both. */
export type FimSpanMode = 'char' | 'ast' | 'mix';
/** Token counters that ship inside the js-tiktoken npm package (no download at run time). */
export type TokenizerName = 'none' | 'cl100k_base' | 'o200k_base';
export const TOKENIZER_NAMES: readonly TokenizerName[] = ['none', 'cl100k_base', 'o200k_base'];

/** Options of `incorpus export`; the CLI shows the same defaults. */
export interface ExportOptions {
  outDir: string;
  /** Which generation to export: any retained one (rebuild keeps the last 3 by default). @default the current generation */
  generation?: number;
  /** @default 'jsonl' */
  format?: ExportFormat;
  /** @default 'none' for JSONL, 'snappy' for Parquet (the Parquet ecosystem's default codec) */
  compress?: ExportCompression;
  /** Uncompressed record bytes after which a shard is closed. @default 268435456 (256 MiB) */
  shardBytes?: number;
  /** Share of documents (of files, in repository samples) turned into FIM samples (Bavarian et al. 2022 use 0.5–0.9). @default 0.5 */
  fimRate?: number;
  /** Share of FIM samples in SPM rather than PSM order. @default 0.5 */
  spmRate?: number;
  /** @default 'mix' (AST-FIM 2025: ~90 % syntax spans, ~10 % character spans) */
  fimSpans?: FimSpanMode;
  /** Share of FIM samples with a syntax span when fimSpans is 'mix'. @default 0.9 */
  astRatio?: number;
  /** FIM token preset. @default 'starcoder' */
  fimTokens?: string;
  /** One sample per repository, files in dependency order (StarCoder2 / Qwen2.5-Coder format). @default false */
  repoLevel?: boolean;
  /**
   * With repoLevel: a repository whose (transformed) files exceed this many bytes is cut between
   * files into several samples, so no record is unreadably large. @default 8388608 (8 MiB)
   */
  repoSampleBytes?: number;
  /** Share of repositories (whole duplicate-linked groups) held out as the validation split. @default 0 */
  valFraction?: number;
  /** @default 0 */
  seed?: number;
  /** Only these domains. @default all */
  domains?: readonly string[];
  /** Only these languages. @default all */
  langs?: readonly string[];
  /** Only documents whose verification status is one of these ('compiles', 'passing', 'missing-dependency/generated-ip'). @default all, verified or not */
  verified?: readonly string[];
  /** Count tokens per domain, language and split in the manifest. @default 'none' */
  tokenizer?: TokenizerName;
  /** Worker threads for the FIM transform (tree-sitter parsing); 1 runs in-process. @default 1 */
  threads?: number;
  /** Write the corpus report (index.html) next to the dataset card; it changes no shard. @default true */
  report?: boolean;
  progress?: Progress;
}

/** Every option decided: what the manifest records and the writers use. */
export interface ExportConfig {
  format: ExportFormat;
  compress: ExportCompression;
  shardBytes: number;
  fimRate: number;
  spmRate: number;
  fimSpans: FimSpanMode;
  astRatio: number;
  fimTokens: string;
  repoLevel: boolean;
  repoSampleBytes: number;
  valFraction: number;
  seed: number;
  domains: string[];
  langs: string[];
  verified: string[];
  tokenizer: TokenizerName;
  threads: number;
}

/** Applies defaults and rejects combinations that cannot work, naming the option to change. */
export function resolveExportOptions(opts: ExportOptions): { config: ExportConfig; tokens: FimTokens; progress: Progress } {
  const format = opts.format ?? 'jsonl';
  const compress = opts.compress ?? (format === 'parquet' ? 'snappy' : 'none');
  if (format === 'jsonl' && compress === 'snappy') throw new UsageError('--compress snappy is a Parquet codec; for JSONL use none, gzip or zstd');
  const fimTokens = opts.fimTokens ?? 'starcoder';
  if (!isFimPresetName(fimTokens)) throw new UsageError(`unknown --fim-tokens ${fimTokens}; valid: ${FIM_PRESET_NAMES.join(', ')}`);
  const tokens = getFimTokens(fimTokens);
  const repoLevel = opts.repoLevel ?? false;
  if (repoLevel && (!tokens.repoName || !tokens.fileSep)) {
    throw new UsageError(`--repo-level needs a preset with repository tokens (starcoder2 or qwen2.5); ${fimTokens} has none`);
  }
  const config: ExportConfig = {
    format,
    compress,
    shardBytes: opts.shardBytes ?? 256 * 1024 * 1024,
    fimRate: rate(opts.fimRate ?? 0.5, 'fim-rate'),
    spmRate: rate(opts.spmRate ?? 0.5, 'spm-rate'),
    fimSpans: opts.fimSpans ?? 'mix',
    astRatio: rate(opts.astRatio ?? 0.9, 'ast-ratio'),
    fimTokens,
    repoLevel,
    repoSampleBytes: opts.repoSampleBytes ?? 8 * 1024 * 1024,
    valFraction: rate(opts.valFraction ?? 0, 'val-fraction'),
    seed: opts.seed ?? 0,
    domains: [...(opts.domains ?? [])].sort(),
    langs: [...(opts.langs ?? [])].sort(),
    verified: expandVerified(opts.verified ?? []),
    tokenizer: opts.tokenizer ?? 'none',
    threads: opts.threads ?? 1,
  };
  if (!(config.repoSampleBytes >= 1)) throw new UsageError(`--repo-sample-size must be at least 1 byte, got ${config.repoSampleBytes}`);
  if (!(config.shardBytes >= 1)) throw new UsageError(`--shard-size must be at least 1 byte, got ${config.shardBytes}`);
  if (config.valFraction >= 1) throw new UsageError('--val-fraction must be below 1 (some repositories must stay in train)');
  if (!TOKENIZER_NAMES.includes(config.tokenizer)) throw new UsageError(`unknown --tokenizer ${config.tokenizer}; valid: ${TOKENIZER_NAMES.join(', ')}`);
  if (!Number.isInteger(config.threads) || config.threads < 1) throw new UsageError(`--threads must be a whole number ≥ 1, got ${config.threads}`);
  return { config, tokens, progress: opts.progress ?? silentProgress };
}

/**
 * `--verified` entries: a status (`compiles`), a status with its kind
 * (`missing-dependency/generated-ip`), or `passing` (compiles and
 * compiles-with-blackboxes). Unknown statuses are usage errors.
 */
export function expandVerified(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of list) {
    if (v === 'passing') {
      out.add('compiles');
      out.add('compiles-with-blackboxes');
      continue;
    }
    const status = v.split('/')[0]!;
    if (!(VERIFY_STATUSES as readonly string[]).includes(status)) throw new UsageError(`unknown --verified status ${v}; valid: passing, ${VERIFY_STATUSES.join(', ')} (optionally status/kind, e.g. elaboration-error/interface-mismatch)`);
    out.add(v);
  }
  return [...out].sort();
}

/** Share of FIM samples that get a syntax span, from the span mode. */
export function astShare(config: Pick<ExportConfig, 'fimSpans' | 'astRatio'>): number {
  return config.fimSpans === 'char' ? 0 : config.fimSpans === 'ast' ? 1 : config.astRatio;
}

function rate(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`--${name} must be a number from 0 to 1, got ${value}`);
  return value;
}
