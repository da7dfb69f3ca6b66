/**
 * A bounded pool for external processes: at most `size` tool runs at once, in
 * FIFO order, so a verify stage keeps both cores busy without forking hundreds
 * of compilers. Tasks are plain async functions; their errors pass through.
 */
export interface ProcessPool {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly size: number;
  /** Tasks started so far (one per tool run). */
  readonly started: number;
}

export function createProcessPool(size: number): ProcessPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`process pool size must be a positive integer, got ${size}`);
  let active = 0;
  let started = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return {
    size,
    get started() {
      return started;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      started++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
