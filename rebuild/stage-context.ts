import type { Db } from '../corpus/db.js';
import { readBlob } from '../corpus/blobs.js';
import { createStageBlobs } from '../corpus/stage-blobs.js';
import { TEXT_CODEC_MODULE } from '../corpus/text-codec.js';
import type { Doc } from '../pipeline/doc.js';
import type { RawSnapshot, StageContext, StageMemo } from '../pipeline/stage.js';
import { StatsRegistry } from '../pipeline/stats.js';
import type { WorkerPool } from '../pipeline/worker-pool.js';
import { codeVersion } from './code-version.js';
import { DEFAULT_DOC_BUDGET_MS } from '../pipeline/budget.js';
import { TASK_WORKER_MODULE } from '../pipeline/task-worker.js';

export interface StageContextOptions {
  genId?: number;
  /** The raw snapshot the generation is built from (absent: the current files). */
  snapshot?: RawSnapshot;
  pool?: WorkerPool | null;
  stats?: StatsRegistry;
  memo?: StageMemo | null;
  /** @default 20000 */
  docBudgetMs?: number;
  drop?(doc: Doc, stage: string, reason: string, details?: Record<string, unknown>): void;
}

/** The context stages run with, over a real corpus connection (rebuild, tests, benchmarks). */
export function createStageContext(db: Db, opts: StageContextOptions = {}): StageContext {
  const blobs = createStageBlobs(db);
  return {
    db,
    genId: opts.genId ?? 0,
    ...(opts.snapshot ? { snapshot: opts.snapshot } : {}),
    stats: opts.stats ?? new StatsRegistry(),
    pool: opts.pool ?? null,
    poolSize: opts.pool?.size ?? 1,
    docBudgetMs: opts.docBudgetMs ?? DEFAULT_DOC_BUDGET_MS,
    loadText: (sha256) => readBlob(db, sha256)?.toString('utf8') ?? null,
    loadBlob: blobs.load,
    putBlob: blobs.put,
    hasBlob: blobs.has,
    textCodec: TEXT_CODEC_MODULE,
    memo: opts.memo ?? null,
    codeVersion: codeVersion(),
    drop: opts.drop ?? (() => {}),
  };
}

/** Where the rebuild's one worker pool runs its tasks. */
export const TASK_WORKER = TASK_WORKER_MODULE;
