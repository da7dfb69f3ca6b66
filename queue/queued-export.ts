import { resolve } from 'node:path';
import { openCorpus, runInReadTransaction } from '../corpus/db.js';
import { planKeptDocSlices } from '../corpus/kept-docs.js';
import { finishExport, planExport, type ExportSummary } from '../export/export-corpus.js';
import type { ExportOptions } from '../export/export-options.js';
import { createExportStats } from '../export/export-stats.js';
import { shardName, type ShardInfo } from '../export/shards.js';
import type { SplitName } from '../export/splits.js';
import { loadTokenCounter } from '../export/token-count.js';
import type { TransformOutput } from '../export/transform.js';
import type { Progress } from '../pipeline/progress.js';
import { runJobs, type PlannedJob } from './coordinator.js';
import { EXPORT_PART_KIND, EXPORT_SHARD_KIND, exportPartJobId, exportShardJobId } from './export-jobs.js';
import { readPartEvents } from './export-part-store.js';
import type { ExportPartJobData, ExportShardJobData, JobSummary } from './job-types.js';
import type { QueueConnection } from './queue-url.js';
import { openJobStore } from './store-dir.js';

export interface QueuedExportOptions {
  connection: QueueConnection;
  store: string;
  /** Kept documents per export part job (whole repositories with --repo-level). @default 2000 */
  partDocs?: number;
  partProgress?: Progress;
  shardProgress?: Progress;
}

/**
 * `export --queue`: the same bytes as `export`, in two rounds of jobs.
 * 1. Export parts: the kept documents (in export order) cut into slices; a
 *    worker runs the in-process record stream over its slice (FIM transform,
 *    repository samples, token counts) and logs it with each record's size.
 * 2. Export shards: the coordinator replays the parts' logs in order — the
 *    manifest's statistics, and the shard cuts exactly as the in-process
 *    writer makes them (a shard closes once its bytes reach --shard-size) —
 *    and each output shard is a job that writes the file into --out.
 * Then manifest.json, the card and the report, as in-process. Workers read
 * the corpus and write --out: both must be on the shared filesystem.
 */
export async function queuedExport(dbPath: string, opts: ExportOptions, q: QueuedExportOptions): Promise<ExportSummary> {
  const store = openJobStore(q.store);
  const absDb = resolve(dbPath);
  const reader = openCorpus(absDb, { readonly: true });
  try {
    return await runInReadTransaction(reader, async () => {
      const p = planExport(reader, opts);
      const shape = { ...p.config, threads: 1 };
      const parts: PlannedJob[] = planKeptDocSlices(reader, p.gen.id, p.filter, q.partDocs ?? 2000).map((slice) => {
        const data: ExportPartJobData = {
          kind: 'export-part', store: store.root, dbPath: absDb, generation: p.gen.id, config: shape, range: slice.range,
          validation: slice.repos.filter((r) => p.plan.splitOf(r) === 'validation'),
        };
        return { id: exportPartJobId(data, p.gen.finishedAt), kind: EXPORT_PART_KIND, data, label: `${slice.docs} documents` };
      });
      await runJobs(parts, { connection: q.connection, store, ...(q.partProgress ? { progress: q.partProgress } : {}) });

      // Replay, in part order: statistics, and the shard cuts of createShardSet.
      const stats = createExportStats(await loadTokenCounter(p.config.tokenizer));
      type Cut = { name: string; split: SplitName; bytes: number; parts: ExportShardJobData['parts'] };
      const open = new Map<SplitName, Cut>();
      const index = new Map<SplitName, number>();
      const cuts: Cut[] = [];
      for (const part of parts) {
        for (const e of readPartEvents(store.shardPath(EXPORT_PART_KIND, part.id))) {
          if (e.kind === 'doc') stats.addDoc(e.out as TransformOutput);
          else if (e.kind === 'excluded') stats.addExcluded(e.n);
          else {
            const split = e.meta!.split;
            stats.addTally(e.meta!, e.textBytes!, e.tokens);
            let cut = open.get(split);
            if (!cut) {
              const i = index.get(split) ?? 0;
              index.set(split, i + 1);
              cut = { name: shardName(split, i, p.config), split, bytes: 0, parts: [] };
              open.set(split, cut);
              cuts.push(cut);
            }
            const last = cut.parts.at(-1);
            if (last && last.id === part.id) last.to = e.seq;
            else cut.parts.push({ id: part.id, from: e.seq, to: e.seq });
            cut.bytes += e.shardBytes!;
            if (cut.bytes >= p.config.shardBytes) open.delete(split);
          }
        }
      }
      const outDir = resolve(opts.outDir);
      const shardJobs: PlannedJob[] = cuts.map((c) => {
        const data: ExportShardJobData = {
          kind: 'export-shard', store: store.root, outDir, name: c.name, split: c.split,
          shape: { format: p.config.format, compress: p.config.compress, repoLevel: p.config.repoLevel }, parts: c.parts,
        };
        return { id: exportShardJobId(data), kind: EXPORT_SHARD_KIND, data, label: c.name };
      });
      // The export directory was just emptied of earlier shards: every shard is written again.
      for (const j of shardJobs) store.forget(EXPORT_SHARD_KIND, j.id);
      await runJobs(shardJobs, { connection: q.connection, store, ...(q.shardProgress ? { progress: q.shardProgress } : {}) });
      const files: ShardInfo[] = shardJobs
        .map((j) => (store.readSummary(EXPORT_SHARD_KIND, j.id) as JobSummary).shard!)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      return finishExport(reader, { ...opts, outDir }, p, stats.snapshot(), files);
    });
  } finally {
    reader.close();
  }
}
