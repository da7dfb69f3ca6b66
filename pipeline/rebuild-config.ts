import { readFileSync } from 'node:fs';
import { InputError } from '../corpus/errors.js';
import type { ExactDedupOptions } from '../dedup/exact.js';
import { DEFAULT_VALIDATE_OPTIONS, type ValidateOptions } from '../filters/validate.js';

/** Every option the rebuild stages take; recorded with each generation. */
export interface RebuildConfig {
  validate: ValidateOptions;
  exactDedup: ExactDedupOptions;
}

export const DEFAULT_REBUILD_CONFIG: Readonly<RebuildConfig> = {
  validate: { ...DEFAULT_VALIDATE_OPTIONS },
  exactDedup: { whitespace: true },
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
      const expected = typeof target[key];
      if (typeof value !== expected || (expected === 'number' && !Number.isFinite(value))) {
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
