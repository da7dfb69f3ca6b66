import type Database from 'better-sqlite3';
import type { Doc } from './doc.js';
import type { StatsRegistry } from './stats.js';

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
  /** Runs CPU-heavy work on the worker-thread pool. */
  runOnPool<I, O>(task: I): Promise<O>;
  /** Threads in the pool, for sizing in-flight windows. */
  poolSize: number;
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
}

/** A filter's answer: keep, or drop with a reason and optional details. */
export type FilterResult = true | { reason: string; details?: Record<string, unknown> };

/**
 * Builds a stage from a predicate. The wrapper — not the filter — counts,
 * records the decision and its reason, so every filter reports the same way.
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
        const result = await predicate(doc, ctx);
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
 * Builds a stage that changes or annotates documents and drops none (pii,
 * normalize, annotate): the wrapper counts, the function only edits the doc.
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
