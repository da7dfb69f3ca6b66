import type Database from 'better-sqlite3';
import type { Doc } from './doc.js';
import type { StoredBlob } from './doc-patch.js';
import { describeError } from './errors.js';
import type { StatsRegistry } from './stats.js';
import type { WorkerPool } from './worker-pool.js';

/**
 * Results of per-document stage work that outlive a rebuild: per scope (a hash
 * of the stages' options and code), keyed by a hash of the input (content hash,
 * the fields the steps read; pipeline/worker-chain.ts). Implemented by the store.
 */
export interface StageMemo {
  /** The stored values of those keys of `scope` (a hash of options and code) that are present. */
  getMany(scope: string, keys: readonly string[]): Map<string, Uint8Array>;
  /** Stores a result; `sha256` is the content it is about (the store forgets it with that content). */
  put(scope: string, key: string, sha256: string, value: Uint8Array): void;
  flush(): void;
}

/**
 * The raw layer as a rebuild pinned it at its start: file rows up to
 * `maxFileId` that were not retired by raw-clock tick `seq` (corpus/raw-snapshot.ts).
 */
export interface RawSnapshot {
  maxFileId: number;
  seq: number;
}

/** What a stage may use while it runs; it knows nothing of the CLI or other stages. */
export interface StageContext {
  /** Records that a document leaves the pipeline here, with a reason (written as its verdict). */
  drop(doc: Doc, stage: string, reason: string, details?: Record<string, unknown>): void;
  stats: StatsRegistry;
  /**
   * The rebuild's worker-thread pool (pipeline/task-worker.ts); null runs
   * worker steps inline on the calling thread (tests, tiny jobs: no budget then).
   */
  pool: WorkerPool | null;
  /** Threads in the pool, for sizing in-flight windows. */
  poolSize: number;
  /** Time one document may spend in one worker step before its thread is terminated (`stage-timeout`). */
  docBudgetMs: number;
  /**
   * The corpus (write connection) and the generation being built, for stages
   * that keep out-of-core state (signatures, buckets, caches). Pass it only to
   * store modules (corpus/, or the stage's own *-store.ts): SQL stays there.
   * Typed from better-sqlite3 directly so the contract sits below the store.
   */
  db: Database.Database;
  genId: number;
  /** The raw snapshot the generation is built from; stages that read raw files themselves read this one (absent: the current files). */
  snapshot?: RawSnapshot;
  /** Reads stored text by sha256 (a stage that released text to save memory gets it back). */
  loadText(sha256: string): string | null;
  /** The compressed blob of a sha256, for a worker to decode (null when not stored). */
  loadBlob(sha256: string): StoredBlob | null;
  /** Stores a text a worker refined, already compressed there. */
  putBlob(sha256: string, size: number, blob: StoredBlob): void;
  hasBlob(sha256: string): boolean;
  /** Module (file URL) exporting the store's text codec for workers: decodeDocText, encodeDocText. */
  textCodec: string | null;
  /** Per-document results of earlier rebuilds; null: compute everything. */
  memo: StageMemo | null;
  /** Fingerprint of the stage code, part of every memo key (changed code never reuses a result). */
  codeVersion: string;
}

/**
 * The one stage contract (datatrove's PipelineStep, in async-iterable form): a
 * name, options validated when the stage is built, and `run` from documents to
 * documents. A stage yields what it keeps and reports what it drops to ctx.drop.
 */
export interface Stage {
  readonly name: string;
  /** The validated options, recorded with the generation. */
  readonly options: Readonly<Record<string, unknown>>;
  run(docs: AsyncIterable<Doc>, ctx: StageContext): AsyncIterable<Doc>;
  /**
   * True when the stage itself handles documents whose text rests in the blob
   * store (`text` null, `textSha256` set). For any other stage the runner reads
   * the text back first, so a stage written against plain `doc.text` just works.
   */
  readonly lazyText?: boolean;
}

/** A filter's answer: keep, or drop with a reason and optional details. */
export type FilterResult = true | { reason: string; details?: Record<string, unknown> };

/** Drop reasons every stage can give, from the shared wrappers (issue 12). */
export const STAGE_ERROR = 'stage-error';
export const STAGE_TIMEOUT = 'stage-timeout';

/**
 * Builds a stage from a predicate. The wrapper — not the filter — counts,
 * records the decision and its reason, so every filter reports the same way.
 * It is also the error boundary: a predicate that throws on a document drops
 * that document with `stage-error` (message recorded) and the stage goes on.
 * Predicates run on the calling thread and cannot be stopped midway; CPU-heavy
 * ones belong in a worker stage (pipeline/worker-stage.ts), which has a budget.
 */
export function createFilter(
  name: string,
  options: Readonly<Record<string, unknown>>,
  predicate: (doc: Doc, ctx: StageContext) => FilterResult | Promise<FilterResult>,
): Stage {
  return {
    name,
    options,
    async *run(docs, ctx) {
      for await (const doc of docs) {
        ctx.stats.seen(name);
        let result: FilterResult;
        try {
          result = await predicate(doc, ctx);
        } catch (err) {
          result = { reason: STAGE_ERROR, details: { stage: name, message: describeError(err) } };
        }
        if (result === true) {
          ctx.stats.kept(name);
          yield doc;
        } else {
          ctx.stats.dropped(name, result.reason);
          ctx.drop(doc, name, result.reason, result.details);
        }
      }
    },
  };
}

/**
 * Builds a stage that changes or annotates documents and drops none on the
 * calling thread: the wrapper counts, the function only edits the doc.
 */
export function createTransform(
  name: string,
  options: Readonly<Record<string, unknown>>,
  transform: (doc: Doc, ctx: StageContext) => void | Promise<void>,
): Stage {
  return createFilter(name, options, async (doc, ctx): Promise<FilterResult> => {
    await transform(doc, ctx);
    return true;
  });
}
