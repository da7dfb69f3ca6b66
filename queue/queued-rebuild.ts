import { openCorpus } from '../corpus/db.js';
import { pinRawSnapshot } from '../corpus/raw-snapshot.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from '../rebuild/rebuild-config.js';
import { isUpToDate, rebuild, type RebuildOptions, type RebuildSummary } from '../rebuild/rebuild.js';
import { cpuMsNow } from './cpu-time.js';
import { runJobs, type PlannedJob } from './coordinator.js';
import type { RebuildShardJobData } from './job-types.js';
import type { QueueConnection } from './queue-url.js';
import { REBUILD_KIND, rebuildShardJobId } from './rebuild-shard-job.js';
import { mergeVerifyShard, planShardRanges } from './rebuild-shard-store.js';
import { createQueuedBandMerger, DEFAULT_BAND_PARTITIONS, type BandMergeReport } from './near-dedup-bands-job.js';
import { openJobStore } from './store-dir.js';

/** Files per rebuild shard: a few thousand, so one job is minutes of verification and the queue overhead is noise. @default 2000 */
export const DEFAULT_SHARD_FILES = 2000;

export interface QueuedRebuildOptions extends RebuildOptions {
  connection: QueueConnection;
  store: string;
  /** @default DEFAULT_SHARD_FILES */
  shardFiles?: number;
  /**
   * Shards compute near-dedup's signatures into their stage memo, so the
   * coordinator's near-dedup signs nothing a shard signed (needs
   * `pipeline.incremental`: the memo carries them). Off only to measure what it saves. @default true
   */
  shardSignatures?: boolean;
  /** Near-dedup's bucket walk in this many band-partition jobs; 0 keeps it in the coordinator. @default DEFAULT_BAND_PARTITIONS */
  bandPartitions?: number;
  /** Progress of the distributed shard pass (the in-process rebuild keeps `progress`). */
  shardProgress?: Progress;
}

export interface QueuedRebuildSummary extends RebuildSummary {
  /** Coordinator CPU (its tool processes included) by phase: planning and waiting for the shards, merging their caches, the rebuild. */
  queue: {
    shards: number;
    cacheRowsMerged: number;
    shardMs: number;
    cpuMs: { shardPass: number; merge: number; rebuild: number };
    /** Near-dedup's band partitions (absent: the bucket walk ran in the coordinator, or near-dedup did not run). */
    nearDedupBands?: BandMergeReport;
  };
}

/**
 * `rebuild --queue`: the CPU-hours of a rebuild are verification, and they
 * run on the workers: the coordinator pins the raw snapshot, cuts it into
 * shards, and every worker runs the per-document stages over its shard,
 * filling a shard verify cache under the in-process cache's keys (and a
 * stage memo, near-dedup's signatures included, under the memo's). The shard
 * caches are merged, and the rebuild then runs here as always — global
 * stages (exact/near dedup, decontamination, license, keep decisions) and the
 * atomic generation swap included — answering verification from the cache.
 * Its output is byte-identical to `rebuild` by construction: the shard pass
 * only ever adds cache rows, which hold facts about code under exact keys.
 * Near-dedup's bucket walk runs in band-partition jobs during that rebuild
 * (queue/near-dedup-bands-job.ts); their candidate pairs give the in-process
 * clusters whatever the split (dedup/band-candidates.ts says why).
 */
export async function queuedRebuild(dbPath: string, opts: QueuedRebuildOptions): Promise<QueuedRebuildSummary> {
  const started = Date.now();
  const cpu0 = cpuMsNow();
  const config: RebuildConfig = opts.config ?? (structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig);
  const store = openJobStore(opts.store);
  const jobs: PlannedJob[] = [];
  const signNearDedup = (opts.shardSignatures ?? true) && config.nearDedup.enabled && config.pipeline.incremental;
  // Shards pay whenever they leave something the rebuild reuses: verify results, or the stage memo
  // (per-document chains, signatures). Nothing changed since the current generation: no shard work;
  // the rebuild below says so.
  if ((config.verify.enabled || config.pipeline.incremental) && (opts.force || !isUpToDate(dbPath, config, opts.keepGenerations))) {
    const db = openCorpus(dbPath, { create: false });
    try {
      const snapshot = pinRawSnapshot(db);
      for (const r of planShardRanges(db, snapshot, opts.shardFiles ?? DEFAULT_SHARD_FILES)) {
        const data: RebuildShardJobData = { kind: 'rebuild-shard', store: store.root, dbPath, snapshot, firstId: r.firstId, lastId: r.lastId, config, signNearDedup };
        jobs.push({ id: rebuildShardJobId(data), kind: REBUILD_KIND, data, label: `files ${r.firstId}-${r.lastId}` });
      }
    } finally {
      db.close();
    }
  }
  await runJobs(jobs, { connection: opts.connection, store, progress: opts.shardProgress ?? silentProgress });
  const cpu1 = cpuMsNow();
  let merged = 0;
  const db = openCorpus(dbPath, { create: false });
  try {
    for (const j of jobs) merged += mergeVerifyShard(db, store.shardPath(REBUILD_KIND, j.id), { memo: config.pipeline.incremental });
  } finally {
    db.close();
  }
  const shardMs = Date.now() - started;
  const cpu2 = cpuMsNow();
  const partitions = opts.bandPartitions ?? DEFAULT_BAND_PARTITIONS;
  const bandMerger = partitions > 0 ? createQueuedBandMerger({ connection: opts.connection, store, partitions }) : null;
  const services = bandMerger ? { ...opts.services, nearDedup: { ...opts.services?.nearDedup, bandMerger } } : opts.services;
  const summary = await rebuild(dbPath, { ...opts, config, ...(services ? { services } : {}) });
  const cpuMs = { shardPass: Math.round(cpu1 - cpu0), merge: Math.round(cpu2 - cpu1), rebuild: Math.round(cpuMsNow() - cpu2) };
  const bands = bandMerger?.report();
  return { ...summary, queue: { shards: jobs.length, cacheRowsMerged: merged, shardMs, cpuMs, ...(bands ? { nearDedupBands: bands } : {}) } };
}
