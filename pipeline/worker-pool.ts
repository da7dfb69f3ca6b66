import { availableParallelism } from 'node:os';

/** A bounded pool of worker threads running one task module. */
export interface WorkerPool {
  readonly size: number;
  run<I, O>(task: I): Promise<O>;
  close(): Promise<void>;
}

/** Worker threads to start by default: one per core. */
export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Starts a piscina pool for `filename` (a compiled worker module exporting a
 * default function). piscina is imported lazily so commands that need no
 * workers start instantly.
 */
export async function createWorkerPool(filename: URL, threads = defaultThreadCount()): Promise<WorkerPool> {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: filename.href, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return {
    size: threads,
    run: <I, O>(task: I) => pool.run(task) as Promise<O>,
    close: () => pool.destroy(),
  };
}
