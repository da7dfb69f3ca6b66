import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../pipeline/errors.js';

/**
 * The part of an export's manifest.json the report reads. Declared here, not
 * imported from export/: export/ writes the report, so the report sits below
 * it and reads the manifest as the data file it is (any export, also one
 * copied elsewhere or written by an older incorpus).
 */
export interface ExportView {
  generation: number;
  records: number;
  bytes: number;
  tokens?: number;
  fim: Record<string, number>;
  fimSpans: Record<string, number>;
  files: Array<{ name: string; split: string; records: number; bytes: number; fileBytes: number }>;
  config: { format?: string; compress?: string; fimRate?: number; spmRate?: number; fimTokens?: string; fimSpans?: string; seed?: number };
}

export const MANIFEST_NAME = 'manifest.json';

/**
 * Reads DIR/manifest.json; null when the directory holds none. A file that is
 * there but is not an export manifest is an input error naming it.
 */
export function readExportManifest(dir: string): ExportView | null {
  const path = join(dir, MANIFEST_NAME);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const problem = checkManifest(raw);
  if (problem) throw new InputError(`${path} is not an incorpus export manifest (${problem})`);
  return raw as ExportView;
}

/** Names the first field that does not have the shape the report reads, or null. */
export function checkManifest(raw: unknown): string | null {
  if (!isRecord(raw)) return 'not a JSON object';
  for (const k of ['generation', 'records', 'bytes'] as const) if (typeof raw[k] !== 'number') return `"${k}" is not a number`;
  for (const k of ['fim', 'fimSpans'] as const) {
    const v = raw[k];
    if (!isRecord(v) || !Object.values(v).every((n) => typeof n === 'number')) return `"${k}" is not an object of counts`;
  }
  if (!isRecord(raw.config)) return '"config" is not an object';
  if (!Array.isArray(raw.files)) return '"files" is not a list';
  for (const f of raw.files) {
    if (!isRecord(f) || typeof f.name !== 'string' || typeof f.split !== 'string' || !['records', 'bytes', 'fileBytes'].every((k) => typeof f[k] === 'number')) {
      return 'a "files" entry lacks name, split, records, bytes or fileBytes';
    }
  }
  return null;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
