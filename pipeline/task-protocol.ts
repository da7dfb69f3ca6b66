import type { FilterResult } from './stage.js';

/**
 * What crosses between the main thread and the worker threads of the one
 * pool a rebuild runs (pipeline/task-worker.ts). Plain, structured-cloneable
 * data only: a task names its steps by module URL and export, so pipeline/
 * needs no static import of the stages that define them.
 */

/** One step of a task: the module (file URL) and export that run it, with its options. */
export interface StepSpec {
  /** Stage name, for stats and the drop reason of a failed document. */
  stage: string;
  module: string;
  fn: string;
  /** Plain data handed to the step function with every item. */
  options: unknown;
}

/** Lets a step count stage-specific events on a worker; the counts reach the stage's stats. */
export interface StepEnv {
  count(name: string, n?: number): void;
}

/** A step over plain items (signatures, shingles): mutates `item` in place. */
export type ItemStep = (item: any, options: any, env: StepEnv) => void | Promise<void>;

/**
 * A document step: a filter or transform run on a worker, on a structured
 * clone of the Doc; it edits the doc in place and returns `true` or a drop.
 * `prepared` is what the stage's main-thread `prepareDoc` gave for this document.
 */
export type DocStep = (doc: any, options: any, env: StepEnv, prepared: unknown) => FilterResult | void | Promise<FilterResult | void>;

/**
 * Progress a worker publishes while it runs a task, in a SharedArrayBuffer the
 * main thread reads to enforce the per-document budget: the item and step it
 * is on, and a beat counter bumped whenever it starts one.
 */
export const PROGRESS_ITEM = 0;
export const PROGRESS_STEP = 1;
export const PROGRESS_BEAT = 2;
export const PROGRESS_SLOTS = 3;

export interface PoolTask {
  kind: 'items' | 'docs';
  steps: StepSpec[];
  items: unknown[];
  progress: SharedArrayBuffer;
  /** For `docs`: the module exporting `decodeDocText`/`encodeDocText` (the store's blob codec). */
  codec?: string;
}

/** Why a step stopped an item: a drop it decided, or a failure of the step. */
export type Stop =
  | { step: number; kind: 'drop'; reason: string; details?: Record<string, unknown> }
  | { step: number; kind: 'error' | 'timeout'; message: string };

/** What came back for one item. */
export interface ItemOutcome {
  /** The item (for `items` tasks) or the document patch (for `docs` tasks). */
  value: unknown;
  stop: Stop | null;
  /** Milliseconds per step that ran. */
  ms: number[];
  /**
   * Thread CPU milliseconds per step: `ms` scaled by the task's thread CPU over
   * its wall time (a busy machine stretches wall time, not CPU time). Absent
   * where the thread's CPU time cannot be read.
   */
  cpuMs?: number[];
  /** Per step index: counters the step reported. */
  counters: Array<Record<string, number> | undefined>;
}
