import { readFileSync } from 'node:fs';
import { InputError } from '../pipeline/errors.js';
import { DEFAULT_EXACT_DEDUP_OPTIONS, type ExactDedupOptions } from '../dedup/exact.js';
import { DEFAULT_DECONTAMINATE_OPTIONS, type DecontaminateOptions } from '../dedup/decontaminate.js';
import { DEFAULT_NEAR_DEDUP_OPTIONS, type NearDedupOptions } from '../dedup/near-dedup-options.js';
import { DEFAULT_VALIDATE_OPTIONS, type ValidateOptions } from '../filters/validate.js';
import { DEFAULT_LICENSE_OPTIONS, type LicenseOptions } from '../filters/license-stage.js';
import { DEFAULT_PII_OPTIONS, type PiiOptions } from '../filters/pii-stage.js';
import { DEFAULT_VERIFY_OPTIONS, type VerifyOptions } from '../annotate/verify-stage.js';
import { DEFAULT_NORMALIZE_OPTIONS, type NormalizeStageOptions } from '../annotate/normalize-stage.js';
import { DEFAULT_ANNOTATE_OPTIONS, type AnnotateOptions } from '../annotate/annotate-stage.js';

/** How the runner treats every stage (config section `pipeline`). */
export interface PipelineOptions {
  /** Time one document may spend in one worker step before its thread is terminated and it is dropped with `stage-timeout`, ms. @default 20000 */
  docBudgetMs: number;
  /** Reuse per-document results of earlier rebuilds (keyed by content hash + stage options + code): an unchanged document costs no stage work. @default true */
  incremental: boolean;
}

export const DEFAULT_PIPELINE_OPTIONS: Readonly<PipelineOptions> = { docBudgetMs: 20_000, incremental: true };

/** Every option the rebuild stages take; recorded with each generation. */
export interface RebuildConfig {
  pipeline: PipelineOptions;
  validate: ValidateOptions;
  license: LicenseOptions;
  pii: PiiOptions;
  exactDedup: ExactDedupOptions;
  decontaminate: DecontaminateOptions;
  nearDedup: NearDedupOptions;
  normalize: NormalizeStageOptions;
  annotate: AnnotateOptions;
  verify: VerifyOptions;
}

export const DEFAULT_REBUILD_CONFIG: Readonly<RebuildConfig> = {
  pipeline: { ...DEFAULT_PIPELINE_OPTIONS },
  validate: { ...DEFAULT_VALIDATE_OPTIONS },
  license: { ...DEFAULT_LICENSE_OPTIONS, allow: [...DEFAULT_LICENSE_OPTIONS.allow] },
  pii: { ...DEFAULT_PII_OPTIONS, ignoreEmailDomains: [...DEFAULT_PII_OPTIONS.ignoreEmailDomains] },
  exactDedup: { ...DEFAULT_EXACT_DEDUP_OPTIONS },
  decontaminate: { ...DEFAULT_DECONTAMINATE_OPTIONS, files: [] },
  nearDedup: { ...DEFAULT_NEAR_DEDUP_OPTIONS },
  normalize: { ...DEFAULT_NORMALIZE_OPTIONS },
  annotate: { ...DEFAULT_ANNOTATE_OPTIONS },
  verify: { ...DEFAULT_VERIFY_OPTIONS },
};

/**
 * Reads a JSON config file (any subset of RebuildConfig) over the defaults.
 * Schema check, then merge: unknown sections or keys and wrongly typed values are
 * errors naming the key, so a typo never silently falls back to a default.
 */
export function loadRebuildConfig(path?: string): RebuildConfig {
  if (!path) return structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read config ${path}: ${(err as Error).message}`, { cause: err });
  }
  return mergeConfig(raw, path);
}

export function mergeConfig(raw: unknown, label = 'config'): RebuildConfig {
  const config = structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig;
  if (!isObject(raw)) throw new InputError(`${label}: expected a JSON object`);
  for (const [section, values] of Object.entries(raw)) {
    if (!(section in config)) throw new InputError(`${label}: unknown section "${section}" (known: ${Object.keys(config).join(', ')})`);
    if (!isObject(values)) throw new InputError(`${label}: section "${section}" must be an object`);
    const target = config[section as keyof RebuildConfig] as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      if (!(key in target)) throw new InputError(`${label}: unknown option ${section}.${key} (known: ${Object.keys(target).join(', ')})`);
      // Arrays (e.g. decontaminate.files) hold strings only; other leaves are numbers, booleans or strings.
      const expected = Array.isArray(target[key]) ? 'list of strings' : typeof target[key];
      const ok = Array.isArray(target[key]) ? Array.isArray(value) && value.every((v) => typeof v === 'string') : typeof value === expected;
      if (!ok || (expected === 'number' && !Number.isFinite(value))) {
        throw new InputError(`${label}: ${section}.${key} must be a ${expected}, got ${JSON.stringify(value)}`);
      }
      target[key] = value;
    }
  }
  return config;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
