import type { Db } from './db.js';
import { exportCorpus, type ExportSummary } from './export-corpus.js';
import type { ExportOptions } from './export-options.js';

export type { ExportOptions } from './export-options.js';
export type { ExportSummary } from './export-corpus.js';

/**
 * The foundation's entry point, kept for callers (the demo) that predate
 * Parquet: a JSONL export with the given options. New code calls exportCorpus.
 */
export function exportJsonl(reader: Db, opts: Omit<ExportOptions, 'format'>): Promise<ExportSummary> {
  return exportCorpus(reader, { ...opts, format: 'jsonl' });
}
