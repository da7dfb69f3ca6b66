import type { Doc } from './doc.js';
import type { Stage, StageContext } from './stage.js';

/** What a stage's main-thread preparation hands its worker step, and how that enters the memo key. */
export interface Prepared {
  value: unknown;
  /** Identity of `value` for the memo key (e.g. a digest); equal keys must mean equal values. */
  key: string;
}

/**
 * A stage whose per-document work runs on the worker pool: a filter or
 * transform step (a DocStep, pipeline/task-protocol.ts, exported by
 * `step.module`) applied to a structured clone of each document, which it
 * edits and keeps or drops. Built by createWorkerStage (worker-chain.ts);
 * consecutive worker stages are fused by the runner into one trip per batch.
 * Each gets, from the shared runner: the time budget (`stage-timeout`), the
 * error boundary (`stage-error`), its counters and time, and memoization — a
 * document whose content and fields are unchanged since an earlier rebuild,
 * under the same options and code, gets the recorded result without any work.
 */
export interface WorkerStageSpec {
  name: string;
  options: Readonly<Record<string, unknown>>;
  /** Module file URL (`new URL('./x-step.js', import.meta.url).href`) and the export name of its DocStep. */
  step: { module: string; fn: string };
  /** What the step receives as options, when not `options` itself (plain data). */
  stepOptions?: unknown;
  /** Main-thread work per document before the step (e.g. repository facts read from the store). */
  prepareDoc?(doc: Doc, ctx: StageContext): Prepared | Promise<Prepared>;
  /** False when the step never reads the text (it is then not loaded for it). @default true */
  readsText?: boolean;
}

export interface WorkerStage extends Stage {
  readonly worker: WorkerStageSpec;
}

export function isWorkerStage(stage: Stage): stage is WorkerStage {
  return (stage as Partial<WorkerStage>).worker !== undefined;
}
