import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAnalyzeStage } from '../annotate/analyze-stage.js';
import { createVerifyStage } from '../annotate/verify-stage.js';
import { createNormalizeStage } from '../annotate/normalize-stage.js';
import { createAnnotateStage } from '../annotate/annotate-stage.js';
import { openCorpus } from '../corpus/db.js';
import { abandonStaleGenerations, beginGeneration, commitGeneration } from '../corpus/generations.js';
import { countCurrentFiles, iterateFilesForRebuild } from '../corpus/rebuild-source.js';
import { createVerdictWriter } from '../corpus/verdicts.js';
import { createBlobWriter, readBlob } from '../corpus/blobs.js';
import { sha256Hex } from '../corpus/doc-id.js';
import { createExactDedupStage } from '../dedup/exact.js';
import { createDecontaminateStage } from '../dedup/decontaminate.js';
import { createNearDedupStage } from '../dedup/near-dedup-stage.js';
import { createValidateStage } from '../filters/validate.js';
import { createLicenseStage } from '../filters/license-stage.js';
import { createPiiStage } from '../filters/pii-stage.js';
import type { Doc } from './doc.js';
import { silentProgress, type Progress } from './progress.js';
import { DEFAULT_REBUILD_CONFIG, type RebuildConfig } from './rebuild-config.js';
import type { Stage, StageContext } from './stage.js';
import { StatsRegistry, type StageStats } from './stats.js';
import { createWorkerPool, defaultThreadCount } from './worker-pool.js';

export interface RebuildOptions {
  /** @default DEFAULT_REBUILD_CONFIG */
  config?: RebuildConfig;
  /** Worker threads for CPU stages. @default one per core */
  threads?: number;
  progress?: Progress;
}

export interface RebuildSummary {
  generation: number;
  seen: number;
  kept: number;
  dropped: number;
  /** Drops keyed `stage/reason`. */
  droppedBy: Record<string, number>;
  stages: Record<string, StageStats>;
  elapsedMs: number;
  /** Generations a killed earlier rebuild had left half-written. */
  abandoned: number;
}

/** The stages of a rebuild, in order, built (and their options validated) from the config. */
export function buildStages(config: RebuildConfig): Stage[] {
  return [
    createAnalyzeStage(),
    createValidateStage(config.validate),
    createLicenseStage(config.license),
    createExactDedupStage(config.exactDedup),
    createDecontaminateStage(config.decontaminate),
    createNearDedupStage(config.nearDedup),
    createPiiStage(config.pii),
    createNormalizeStage(config.normalize),
    createAnnotateStage(config.annotate),
    createVerifyStage(config.verify),
  ];
}

/**
 * `incorpus rebuild`: streams every current file through the stages, records a
 * verdict for each, and swaps the new generation in atomically. Killed midway,
 * the previous generation stays current and the next rebuild cleans up.
 */
export async function rebuild(dbPath: string, opts: RebuildOptions = {}): Promise<RebuildSummary> {
  const started = performance.now();
  const config = opts.config ?? (structuredClone(DEFAULT_REBUILD_CONFIG) as RebuildConfig);
  const progress = opts.progress ?? silentProgress;
  const stages = buildStages(config);
  const db = openCorpus(dbPath, { create: false });
  const reader = openCorpus(dbPath, { readonly: true });
  const pool = await createWorkerPool(new URL('../annotate/analyze-worker.js', import.meta.url), opts.threads ?? defaultThreadCount());
  try {
    const abandoned = abandonStaleGenerations(db);
    progress.total(countCurrentFiles(db));
    const stageOptions = Object.fromEntries(stages.map((s) => [s.name, s.options]));
    const genId = beginGeneration(db, { stages: stageOptions });
    const writer = createVerdictWriter(db, genId);
    const stats = new StatsRegistry();
    const ctx: StageContext = {
      db,
      genId,
      loadText: (sha256) => readBlob(db, sha256)?.toString('utf8') ?? null,
      stats,
      poolSize: pool.size,
      runOnPool: (task) => pool.run(task),
      drop(doc, stage, reason, details) {
        writer.write({ fileId: doc.fileId, verdict: 'drop', stage, reason, details, lang: doc.lang, domain: doc.domain, outSha256: null });
        progress.tick();
      },
    };
    let stream: AsyncIterable<Doc> = iterateFilesForRebuild(reader);
    for (const stage of stages) stream = runTimed(stage, stream, ctx);
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
    const summary = summarize(genId, stats, performance.now() - started, abandoned);
    commitGeneration(db, genId, { ...summary, stages: stats.toJSON() });
    return summary;
  } finally {
    progress.done();
    await pool.close();
    reader.close();
    db.close();
  }
}

/** The blob a kept document exports: the crawled one, or its refined text stored as a new blob. */
function storeRefinedText(doc: Doc, putBlob: (sha256: string, data: Buffer) => void): string | null {
  if (doc.modifiedBy.length === 0 || doc.text === null) return doc.sha256;
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

/** Runs a stage and charges it only for its own time, not for waiting on upstream stages. */
async function* runTimed(stage: Stage, input: AsyncIterable<Doc>, ctx: StageContext): AsyncGenerator<Doc> {
  let upstreamMs = 0;
  async function* measured(): AsyncGenerator<Doc> {
    const it = input[Symbol.asyncIterator]();
    for (;;) {
      const t = performance.now();
      const r = await it.next();
      upstreamMs += performance.now() - t;
      if (r.done) return;
      yield r.value;
    }
  }
  const out = stage.run(measured(), ctx)[Symbol.asyncIterator]();
  let totalMs = 0;
  for (;;) {
    const t = performance.now();
    const r = await out.next();
    totalMs += performance.now() - t;
    if (r.done) break;
    yield r.value;
  }
  ctx.stats.addTime(stage.name, Math.max(0, totalMs - upstreamMs));
}

function summarize(generation: number, stats: StatsRegistry, elapsedMs: number, abandoned: number): RebuildSummary {
  const droppedBy: Record<string, number> = {};
  let dropped = 0;
  for (const [stage, s] of stats.stages) {
    for (const [reason, n] of Object.entries(s.droppedBy)) {
      droppedBy[`${stage}/${reason}`] = n;
      dropped += n;
    }
  }
  const first = stats.stages.values().next().value as StageStats | undefined;
  const seen = first?.seen ?? 0;
  return { generation, seen, kept: seen - dropped, dropped, droppedBy, stages: stats.toJSON(), elapsedMs: Math.round(elapsedMs), abandoned };
}
