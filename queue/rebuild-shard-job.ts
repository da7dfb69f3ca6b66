import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCorpus } from '../corpus/db.js';
import { openStageMemo } from '../corpus/stage-memo.js';
import { iterateFilesForRebuild } from '../corpus/rebuild-source.js';
import { STREAM_ORDER } from '../dedup/keep-rule.js';
import { createNearDedupPresignStage } from '../dedup/near-dedup-presign.js';
import { runStages } from '../pipeline/run-stages.js';
import type { Stage } from '../pipeline/stage.js';
import { isWorkerStage } from '../pipeline/worker-stage.js';
import { createWorkerPool, type WorkerPool } from '../pipeline/worker-pool.js';
import { buildStages } from '../rebuild/rebuild-stages.js';
import { createStageContext, TASK_WORKER } from '../rebuild/stage-context.js';
import { cpuMsNow } from './cpu-time.js';
import { StatsRegistry } from '../pipeline/stats.js';
import { makeJobId } from './job-id.js';
import type { JobSummary, RebuildShardJobData } from './job-types.js';
import { makeSelfContained } from './crawl-shard-store.js';
import { openShardReader, openShardWriter } from './rebuild-shard-store.js';
import type { JobStore } from './store-dir.js';

export const REBUILD_KIND = 'rebuild';

/**
 * The stages a shard runs: everything that looks at one document alone. The
 * license stage (repository-level evidence pinned per generation) and the
 * global ones (exact dedup, decontamination, near dedup) stay on the
 * coordinator, near dedup's signatures aside (shardStages); a shard verifies
 * and signs some documents those later drop — wasted CPU, never a different answer.
 */
export const SHARD_STAGES: readonly string[] = ['analyze', 'validate', 'license', 'pii', 'normalize', 'annotate', 'verify'];

/** The global stage whose first pass (signatures) a shard runs when the job says so. */
const NEAR_DEDUP = 'near-dedup';

export function rebuildShardJobId(d: RebuildShardJobData): string {
  return makeJobId(REBUILD_KIND, [d.dbPath, d.snapshot, d.firstId, d.lastId, d.config, d.signNearDedup ?? false]);
}

/**
 * The rebuild's stages, only those a shard runs, in rebuild order. Each
 * global stage left out is replaced by a pass-through in its place, so the
 * worker stages fuse into the same chains as in the rebuild ([analyze,
 * validate, license], then [pii, normalize, annotate]): a chain's memo scope
 * names its stages, and only identical chains let the coordinator's rebuild
 * reuse what a shard computed.
 */
export function shardStages(d: RebuildShardJobData): Stage[] {
  const all = buildStages(d.config);
  const missing = SHARD_STAGES.filter((n) => !all.some((s) => s.name === n));
  if (missing.length) throw new Error(`rebuild has no stage named ${missing.join(', ')} (queue/rebuild-shard-job.ts is out of date)`);
  return all.map((s): Stage => {
    if (SHARD_STAGES.includes(s.name)) return s;
    // Near-dedup's first pass is per document: its signatures go into the shard's memo (a plain
    // stage, like the pass-through, so the chains around it stay the rebuild's own).
    if (s.name === NEAR_DEDUP && d.signNearDedup) return createNearDedupPresignStage(d.config.nearDedup);
    if (isWorkerStage(s)) throw new Error(`${s.name} is a worker stage the shard skips (queue/rebuild-shard-job.ts is out of date)`);
    return { name: `${s.name}:skipped`, options: {}, lazyText: true, run: (docs) => docs };
  });
}

/**
 * One thread pool per worker process, kept across shard jobs: starting the
 * threads (and each one loading its tree-sitter grammars) is setup a
 * rebuild pays once, so a worker pays it once too, not once per shard.
 */
const pools = new Map<number, Promise<WorkerPool>>();

function shardPool(threads: number): Promise<WorkerPool> {
  let p = pools.get(threads);
  if (!p) pools.set(threads, (p = createWorkerPool(TASK_WORKER, threads)));
  return p;
}

/** Closes the kept pools (the worker is stopping). */
export async function closeShardPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  for (const p of all) await (await p).close();
}

/**
 * Worker side: streams the shard's files through the per-document stages
 * exactly as a rebuild would (same stage code, same snapshot), so the verify
 * stage fills the shard's cache under the very keys the coordinator's rebuild
 * looks up. Nothing else is kept: the coordinator recomputes the cheap stages.
 */
export async function runRebuildShardJob(d: RebuildShardJobData, store: JobStore, id: string, threads: number): Promise<JobSummary> {
  const started = performance.now();
  const cpu0 = cpuMsNow();
  const own0 = process.cpuUsage();
  const temp = store.tempPath(REBUILD_KIND, id);
  const fresh = openCorpus(temp);
  makeSelfContained(fresh);
  fresh.close();
  const range = { firstId: d.firstId, lastId: d.lastId, files: 0 };
  const db = openShardWriter(d.dbPath, temp);
  const reader = openShardReader(d.dbPath, range);
  const pool = await shardPool(threads);
  let items = 0;
  const stats = new StatsRegistry();
  try {
    // The stage memo goes into the shard (a view over shard and corpus rows, openShardWriter): merged
    // into the corpus, the coordinator's rebuild answers the per-document stages from it instead of
    // recomputing them — the same chains (license splits them as in the rebuild), the same keys.
    const memo = d.config.pipeline.incremental ? openStageMemo(db) : null;
    const ctx = createStageContext(db, { snapshot: d.snapshot, pool, memo, docBudgetMs: d.config.pipeline.docBudgetMs, stats });
    // Test hook: slows a shard down so a test can kill its worker (or Redis) midway.
    const delayMs = Number(process.env.INCORPUS_DEBUG_JOB_DELAY_MS ?? 0);
    for await (const _doc of runStages(shardStages(d), iterateFilesForRebuild(reader, { snapshot: d.snapshot, order: STREAM_ORDER }), ctx)) {
      items++;
      if (delayMs > 0) await sleep(delayMs);
    }
    memo?.flush();
  } finally {
    reader.close();
    db.close();
  }
  // The sandbox helper is long-lived and waits for the tools itself, so their CPU never reaches this
  // process's cutime while the job runs; the verify stage counts it from the helper's wait4 instead.
  // Whichever account is larger is the job's cost (both include this process's own threads).
  const own = process.cpuUsage(own0);
  const toolCpuMs = stats.toJSON().verify?.counters?.['tool-cpu-ms'] ?? 0;
  const cpuMs = Math.max(cpuMsNow() - cpu0, (own.user + own.system) / 1000 + toolCpuMs);
  const summary: JobSummary = { id, kind: 'rebuild-shard', items, ms: Math.round(performance.now() - started), cpuMs: Math.round(cpuMs) };
  store.publish(REBUILD_KIND, id, temp, summary);
  return summary;
}
