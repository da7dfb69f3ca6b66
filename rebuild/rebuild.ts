import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCorpus } from '../corpus/db.js';
import { abandonGeneration, abandonStaleGenerations, beginGeneration, commitGeneration, countCompleteGenerations, currentGeneration, DEFAULT_KEEP_GENERATIONS, getGeneration, type CommitResult, type GenerationRow } from '../corpus/generations.js';
import { pinRawSnapshot } from '../corpus/raw-snapshot.js';
import type { Db } from '../corpus/db.js';
import { countCurrentFiles, iterateFilesForRebuild } from '../corpus/rebuild-source.js';
import { createVerdictWriter } from '../corpus/verdicts.js';
import { createBlobWriter } from '../corpus/blobs.js';
import { openStageMemo, pruneStageMemo } from '../corpus/stage-memo.js';
import { sha256Hex } from '../corpus/doc-id.js';
import type { Doc } from '../pipeline/doc.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { runStages, totalStats, type RunTotals } from '../pipeline/run-stages.js';
import { STREAM_ORDER } from '../dedup/keep-rule.js';
import { StatsRegistry, type StageStats } from '../pipeline/stats.js';
import { rebuildInputsDigest, unreusableOutcomes } from './rebuild-inputs.js';
import { createWorkerPool, defaultThreadCount } from '../pipeline/worker-pool.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from './rebuild-config.js';
import { buildStages, type StageServices } from './rebuild-stages.js';
import { createStageContext, TASK_WORKER } from './stage-context.js';

export interface RebuildOptions {
  /** @default DEFAULT_REBUILD_CONFIG */
  config?: RebuildConfig;
  /** Worker threads for CPU stages. @default one per core */
  threads?: number;
  /** Complete generations kept explainable and exportable, the new one included. @default 3 (DEFAULT_KEEP_GENERATIONS) */
  keepGenerations?: number;
  progress?: Progress;
  /** Rebuild even when nothing changed since the current generation (`rebuild --force`). */
  force?: boolean;
  /** Where parts of stages run (rebuild --queue: near-dedup's bucket walk in jobs). @default all in-process */
  services?: StageServices;
}

export interface RebuildSummary extends RunTotals {
  generation: number;
  stages: Record<string, StageStats>;
  elapsedMs: number;
  /** Generations a killed earlier rebuild had left half-written. */
  abandoned: number;
  /** The raw snapshot this generation was built from (corpus/raw-snapshot.ts). */
  snapshot: { maxFileId: number; seq: number };
  /** Older generations pruned by retention, and blobs nothing references any more. */
  cleanup: CommitResult;
  /**
   * Set when nothing had changed: the current generation was built from the
   * same inputs (rebuildInputsDigest), so no new one was made; the counters are
   * that generation's, elapsedMs this run's.
   */
  unchanged?: { since: string };
}

/**
 * The current generation when it was built from exactly these inputs and holds
 * no load-dependent outcome, so a rebuild now would compute it again; null when
 * a rebuild has work to do (or the memo is off, or retention has generations to
 * prune). The digest to record on a new generation comes back either way.
 */
export function upToDateGeneration(
  db: Db,
  config: RebuildConfig,
  stageOptions: Record<string, unknown>,
  keep: number,
): { digest: string; current: (GenerationRow & { stats: Record<string, unknown> }) | null } {
  const digest = rebuildInputsDigest(db, pinRawSnapshot(db), config, stageOptions);
  const current = currentGeneration(db);
  if (!config.pipeline.incremental || !current?.stats || current.config.inputs !== digest) return { digest, current: null };
  if (unreusableOutcomes(current.stats.stages as Record<string, StageStats> | undefined) !== null) return { digest, current: null };
  if (countCompleteGenerations(db) > keep) return { digest, current: null };
  return { digest, current: current as GenerationRow & { stats: Record<string, unknown> } };
}

/** True when `rebuild` would find nothing to do (upToDateGeneration): `rebuild --queue` then plans no shard jobs. */
export function isUpToDate(dbPath: string, config: RebuildConfig, keep = DEFAULT_KEEP_GENERATIONS): boolean {
  const db = openCorpus(dbPath, { create: false });
  try {
    const stageOptions = Object.fromEntries(buildStages(config).map((s) => [s.name, s.options]));
    return upToDateGeneration(db, config, stageOptions, keep).current !== null;
  } finally {
    db.close();
  }
}

/**
 * `incorpus rebuild`: pins the raw snapshot, streams every file of it through
 * the stages, records a verdict for each, and swaps the new generation in
 * atomically. A crawl meanwhile waits for the next rebuild. Killed midway, the
 * previous generation stays current and the next rebuild cleans up.
 */
export async function rebuild(dbPath: string, opts: RebuildOptions = {}): Promise<RebuildSummary> {
  const started = performance.now();
  const config = opts.config ?? (structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig);
  const progress = opts.progress ?? silentProgress;
  const stages = buildStages(config, opts.services);
  const db = openCorpus(dbPath, { create: false });
  const reader = openCorpus(dbPath, { readonly: true });
  let pool: Awaited<ReturnType<typeof createWorkerPool>> | null = null;
  let genId: number | null = null;
  let committed = false;
  try {
    const abandoned = abandonStaleGenerations(db);
    const stageOptions = Object.fromEntries(stages.map((s) => [s.name, s.options]));
    const keep = opts.keepGenerations ?? DEFAULT_KEEP_GENERATIONS;
    const upToDate = upToDateGeneration(db, config, stageOptions, keep);
    if (upToDate.current && !opts.force) {
      const gen = upToDate.current;
      const since = gen.finishedAt ?? gen.startedAt;
      return {
        ...(gen.stats as unknown as RebuildSummary),
        generation: gen.id,
        elapsedMs: Math.round(performance.now() - started),
        abandoned,
        cleanup: { pruned: [], blobs: { blobs: 0, bytes: 0 } },
        unchanged: { since },
      };
    }
    pool = await createWorkerPool(TASK_WORKER, opts.threads ?? defaultThreadCount());
    genId = beginGeneration(db, { stages: stageOptions, pipeline: config.pipeline, inputs: upToDate.digest });
    const snapshot = getGeneration(db, genId)!.snapshot!;
    progress.total(countCurrentFiles(db, snapshot));
    const writer = createVerdictWriter(db, genId);
    const stats = new StatsRegistry();
    const memo = config.pipeline.incremental ? openStageMemo(db) : null;
    const ctx = createStageContext(db, {
      genId,
      stats,
      snapshot,
      pool,
      memo,
      docBudgetMs: config.pipeline.docBudgetMs,
      drop(doc, stage, reason, details) {
        writer.write({ fileId: doc.fileId, verdict: 'drop', stage, reason, details, lang: doc.lang, domain: doc.domain, outSha256: null });
        progress.tick();
      },
    });
    const stream = runStages(stages, iterateFilesForRebuild(reader, { snapshot, genId, order: STREAM_ORDER }), ctx);
    const delayMs = Number(process.env.INCORPUS_DEBUG_DELAY_MS ?? 0);
    let kept = 0;
    const putBlob = createBlobWriter(db);
    for await (const doc of stream) {
      const outSha256 = storeRefinedText(doc, putBlob);
      const details = keptDetails(doc);
      writer.write({ fileId: doc.fileId, verdict: 'keep', stage: null, reason: 'kept', details, lang: doc.lang, domain: doc.domain, outSha256 });
      progress.tick();
      // Test hook: slows a rebuild down so a test can kill it midway.
      if (delayMs > 0 && ++kept % 10 === 0) {
        writer.flush();
        await sleep(delayMs);
      }
    }
    writer.flush();
    memo?.flush();
    const totals = { generation: genId, ...totalStats(stats), stages: stats.toJSON(), elapsedMs: Math.round(performance.now() - started), abandoned, snapshot };
    const cleanup = commitGeneration(db, genId, totals, keep);
    committed = true;
    if (memo) pruneStageMemo(db, memo.scopes());
    return { ...totals, cleanup };
  } finally {
    // A failed rebuild gives its generation up now (rows, lock); a killed one is cleaned up by the next.
    if (genId !== null && !committed) abandonGeneration(db, genId);
    progress.done();
    await pool?.close();
    reader.close();
    db.close();
  }
}

/**
 * The blob a kept document exports: the crawled one, or its refined text. A
 * worker stage that refined it stored the blob already (textSha256); a text
 * changed on the main thread is hashed and stored here.
 */
function storeRefinedText(doc: Doc, putBlob: (sha256: string, data: Buffer) => void): string | null {
  if (doc.modifiedBy.length === 0) return doc.sha256;
  if (doc.textSha256 && doc.textSha256 !== doc.sha256) return doc.textSha256;
  if (doc.text === null) return doc.textSha256 ?? doc.sha256;
  const bytes = Buffer.from(doc.text, 'utf8');
  const sha = sha256Hex(bytes);
  putBlob(sha, bytes);
  return sha;
}

function keptDetails(doc: Doc): Record<string, unknown> | undefined {
  const details: Record<string, unknown> = { ...doc.annotations };
  if (doc.domainEvidence) details.domainEvidence = doc.domainEvidence;
  if (doc.license) details.license = doc.license;
  if (doc.modifiedBy.length > 0) details.modifiedBy = doc.modifiedBy;
  return Object.keys(details).length > 0 ? details : undefined;
}
