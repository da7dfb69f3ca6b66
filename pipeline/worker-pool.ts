import { availableParallelism } from 'node:os';

/** A bounded pool of worker threads running one task module. */
export interface WorkerPool {
  readonly size: number;
  /** Runs a task; aborting `signal` while it runs terminates its thread (the pool starts a new one). */
  run<I, O>(task: I, opts?: { signal?: AbortSignal }): Promise<O>;
  close(): Promise<void>;
}

/** Worker threads to start by default: one per core. */
export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Heap ceiling of one worker thread, MiB: a document that makes a step
 * allocate without bound kills only its thread (a recorded `stage-error`),
 * never the process. Native memory (tree-sitter trees, zlib) is not counted.
 */
const WORKER_HEAP_MIB = 1536;

/**
 * Starts a piscina pool for `filename` (a compiled worker module exporting a
 * default function). piscina is imported lazily so commands that need no
 * workers start instantly, and threads start on the first task, so a rebuild
 * whose results all come from the stage memo starts none.
 */
export async function createWorkerPool(filename: URL, threads = defaultThreadCount(), opts: { heapMiB?: number } = {}): Promise<WorkerPool> {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: filename.href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: opts.heapMiB ?? WORKER_HEAP_MIB },
  });
  return {
    size: threads,
    run: <I, O>(task: I, opts: { signal?: AbortSignal } = {}) => pool.run(task, opts.signal ? { signal: opts.signal } : {}) as Promise<O>,
    close: () => pool.destroy(),
  };
}
