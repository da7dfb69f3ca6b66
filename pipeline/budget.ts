import { performance } from 'node:perf_hooks';
import { PROGRESS_BEAT, PROGRESS_ITEM, PROGRESS_SLOTS, PROGRESS_STEP, type ItemOutcome, type PoolTask } from './task-protocol.js';
import { describeError } from './errors.js';
import type { WorkerPool } from './worker-pool.js';

/** Per-document time budget of a worker step by default, ms (issue 12): far above any real file, far below a hang. */
export const DEFAULT_DOC_BUDGET_MS = 20_000;

/** A task in flight, as the watchdog sees it. */
interface Watch {
  progress: Int32Array;
  beat: number;
  since: number;
  budgetMs: number;
  abort: AbortController;
  timedOut: { item: number; step: number } | null;
}

const watches = new Set<Watch>();
let timer: NodeJS.Timeout | null = null;
let tickMs = 200;

/** One pass of the watchdog: a task whose worker sat on one item and step past its budget is terminated. */
function tick(): void {
  const now = performance.now();
  for (const w of watches) {
    const beat = Atomics.load(w.progress, PROGRESS_BEAT);
    if (beat !== w.beat) {
      w.beat = beat;
      w.since = now;
      continue;
    }
    const item = Atomics.load(w.progress, PROGRESS_ITEM);
    if (item >= 0 && !w.timedOut && now - w.since > w.budgetMs) {
      w.timedOut = { item, step: Math.max(0, Atomics.load(w.progress, PROGRESS_STEP)) };
      w.abort.abort();
    }
  }
}

function watch(w: Watch): void {
  watches.add(w);
  const wanted = Math.max(10, Math.min(200, Math.floor(w.budgetMs / 4)));
  if (timer && wanted < tickMs) {
    clearInterval(timer);
    timer = null;
  }
  if (!timer) {
    tickMs = wanted;
    timer = setInterval(tick, tickMs);
    timer.unref();
  }
}

function unwatch(w: Watch): void {
  watches.delete(w);
  if (watches.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
    tickMs = 200;
  }
}

/**
 * Runs a task on the pool with a time budget per item and step (issue 12):
 * JavaScript on the main thread cannot be interrupted, a worker thread can be
 * terminated. The worker publishes which item and step it is on; when one sits
 * past `budgetMs`, its thread is terminated, that item comes back stopped as a
 * `timeout` and the others are run again. A worker that dies on an item (heap
 * limit, crash) stops that item as an `error` the same way. Outcomes are in
 * item order.
 */
export async function runWithBudget(pool: WorkerPool, task: Omit<PoolTask, 'progress'>, budgetMs: number): Promise<ItemOutcome[]> {
  if (task.items.length === 0) return [];
  const buffer = new SharedArrayBuffer(PROGRESS_SLOTS * 4);
  const progress = new Int32Array(buffer);
  progress[PROGRESS_ITEM] = -1;
  progress[PROGRESS_STEP] = -1;
  const w: Watch = { progress, beat: 0, since: performance.now(), budgetMs, abort: new AbortController(), timedOut: null };
  watch(w);
  try {
    return await pool.run<PoolTask, ItemOutcome[]>({ ...task, progress: buffer }, { signal: w.abort.signal });
  } catch (err) {
    const item = w.timedOut?.item ?? Atomics.load(progress, PROGRESS_ITEM);
    // Not on an item: the pool itself failed (closed, a step module that does not load).
    if (item < 0 || item >= task.items.length) throw err;
    const step = w.timedOut?.step ?? Math.max(0, Atomics.load(progress, PROGRESS_STEP));
    const message = w.timedOut ? `over the ${budgetMs} ms per-document budget` : `worker thread died: ${describeError(err)}`;
    const failed: ItemOutcome = {
      value: task.kind === 'items' ? task.items[item] : null,
      stop: { step, kind: w.timedOut ? 'timeout' : 'error', message },
      ms: [],
      counters: [],
    };
    const [before, after] = await Promise.all([
      runWithBudget(pool, { ...task, items: task.items.slice(0, item) }, budgetMs),
      runWithBudget(pool, { ...task, items: task.items.slice(item + 1) }, budgetMs),
    ]);
    return [...before, failed, ...after];
  } finally {
    unwatch(w);
  }
}
