import type { Db } from '../corpus/db.js';
import { readBlob } from '../corpus/blobs.js';
import { createStageBlobs } from '../corpus/stage-blobs.js';
import { TEXT_CODEC_MODULE } from '../corpus/text-codec.js';
import type { Doc } from '../pipeline/doc.js';
import type { StageContext, StageMemo } from '../pipeline/stage.js';
import { StatsRegistry } from '../pipeline/stats.js';
import type { WorkerPool } from '../pipeline/worker-pool.js';
import { codeVersion } from './code-version.js';

export interface StageContextOptions {
  genId?: number;
  pool?: WorkerPool | null;
  stats?: StatsRegistry;
  memo?: StageMemo | null;
  /** @default 20000 */
  docBudgetMs?: number;
  drop?(doc: Doc, stage: string, reason: string, details?: Record<string, unknown>): void;
}

/** Per-document time budget of a worker step by default, ms (issue 12): far above any real file, far below a hang. */
export const DEFAULT_DOC_BUDGET_MS = 20_000;

/** The context stages run with, over a real corpus connection (rebuild, tests, benchmarks). */
export function createStageContext(db: Db, opts: StageContextOptions = {}): StageContext {
  const blobs = createStageBlobs(db);
  return {
    db,
    genId: opts.genId ?? 0,
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
export const TASK_WORKER = new URL('../pipeline/task-worker.js', import.meta.url);
