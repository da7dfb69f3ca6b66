import { performance } from 'node:perf_hooks';
import { openCorpus, runInReadTransaction } from '../corpus/db.js';
import { requireGeneration } from '../corpus/generations.js';
import { exportFilter, exportRecords, transformConfigOf } from '../export/export-corpus.js';
import { resolveExportOptions } from '../export/export-options.js';
import { recordShardBytes, writeShard } from '../export/shards.js';
import { loadTokenCounter } from '../export/token-count.js';
import { createTransformer } from '../export/transform-pool.js';
import { makeJobId } from './job-id.js';
import type { ExportPartJobData, ExportShardJobData, JobSummary } from './job-types.js';
import { openPartWriter, readPartRecords } from './export-part-store.js';
import type { JobStore } from './store-dir.js';

export const EXPORT_PART_KIND = 'export-part';
export const EXPORT_SHARD_KIND = 'export-shard';

/**
 * A part's id: the corpus, the generation (immutable once complete; its
 * finish time tells a re-created corpus at the same path apart), the slice,
 * its held-out repositories and every option that shapes records.
 */
export function exportPartJobId(d: ExportPartJobData, finishedAt: string | null): string {
  return makeJobId(EXPORT_PART_KIND, [d.dbPath, d.generation, finishedAt, d.range, d.validation, d.config]);
}

/** A shard's id: where it goes, its name and shape, and the part records it holds (part ids name their inputs). */
export function exportShardJobId(d: ExportShardJobData): string {
  return makeJobId(EXPORT_SHARD_KIND, [d.outDir, d.name, d.split, d.shape, d.parts]);
}

/**
 * Worker side: the in-process export's record stream over one slice — same
 * transform, same split of each repository, same order — measured (bytes as
 * the shard writers count them, tokens) and logged as events into the part's
 * shard, published when complete. All reads in one read transaction.
 */
export async function runExportPartJob(d: ExportPartJobData, store: JobStore, id: string, threads: number): Promise<JobSummary> {
  const started = performance.now();
  const { config, tokens } = resolveExportOptions({ ...d.config, outDir: '' });
  const count = await loadTokenCounter(config.tokenizer);
  const validation = new Set(d.validation);
  const splitOf = (repo: string) => (validation.has(repo) ? ('validation' as const) : ('train' as const));
  const temp = store.tempPath(EXPORT_PART_KIND, id);
  const out = openPartWriter(temp);
  const reader = openCorpus(d.dbPath, { readonly: true });
  const transformer = await createTransformer(transformConfigOf(config, tokens), threads);
  let items = 0;
  try {
    await runInReadTransaction(reader, async () => {
      const gen = requireGeneration(reader, d.generation);
      const filter = { ...exportFilter(config), range: d.range };
      const sink = { addDoc: out.doc, addExcluded: out.excluded };
      for await (const { record, docs } of exportRecords(reader, { gen, config, tokens, filter, splitOf }, transformer, sink)) {
        out.record(record, docs, recordShardBytes(record, config.format), count ? count(record.text) : undefined);
        items++;
      }
    });
    out.close();
  } finally {
    await transformer.close();
    reader.close();
  }
  const summary: JobSummary = { id, kind: 'export-part', items, ms: Math.round(performance.now() - started) };
  store.publish(EXPORT_PART_KIND, id, temp, summary);
  return summary;
}

let tempTag = 0;

/** Worker side: writes one output shard from its parts' records into the export directory (temporary name, rename), then the marker. */
export async function runExportShardJob(d: ExportShardJobData, store: JobStore, id: string): Promise<JobSummary> {
  const started = performance.now();
  function* records() {
    for (const p of d.parts) yield* readPartRecords(store.shardPath(EXPORT_PART_KIND, p.id), d.split, p.from, p.to);
  }
  const shard = await writeShard(d.outDir, d.name, d.split, d.shape, records(), `${process.pid}-${++tempTag}`);
  const summary: JobSummary = { id, kind: 'export-shard', items: shard.records, ms: Math.round(performance.now() - started), shard };
  store.markDone(EXPORT_SHARD_KIND, id, summary);
  return summary;
}
