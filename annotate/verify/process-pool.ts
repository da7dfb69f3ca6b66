import { performance } from 'node:perf_hooks';
import { openSandboxSession, type SandboxSession } from './sandbox-session.js';
import type { SandboxLevel } from './sandbox.js';

/** One of the pool's places: at most one tool runs in it at a time, in sandboxes it keeps open. */
export interface PoolSlot {
  readonly index: number;
  /** This slot's sandbox for a level and set of read-only dirs, started on first use and reused. */
  session(level: SandboxLevel, readOnly: readonly string[]): SandboxSession;
}

/**
 * A bounded pool for external processes: at most `size` tool runs at once,
 * the costliest queued first, so a verify stage keeps both cores busy without forking hundreds
 * of compilers. Each slot keeps its sandbox sessions open across checks (one
 * bubblewrap start per slot instead of one per check). Tasks are plain async
 * functions; their errors pass through.
 */
export interface ProcessPool {
  /**
   * Runs a task in a free slot, else queues it: the queued task with the
   * highest predicted `cost` starts first (FIFO among equals), so a long check
   * does not start last and run alone at the end. @default cost 0
   */
  run<T>(task: (slot: PoolSlot) => Promise<T>, cost?: number): Promise<T>;
  readonly size: number;
  /** Tasks started so far (one per tool run). */
  readonly started: number;
  /** Wall time spent starting sandboxes, ms (part of the per-check overhead). */
  readonly sandboxStartMs: number;
  /**
   * Pool occupancy since creation: `ms[k]` is the wall time with exactly k
   * tasks running (k = 0‥size), and `tailMs` the wall time since all slots
   * were last busy at once (a straggler running alone at the end shows here).
   * Read before close(); the clock stops at close().
   */
  occupancy(): { ms: number[]; tailMs: number };
  /** Ends every session (the stage calls it when it finishes; idle sessions never hold the process open). */
  close(): void;
}

export function createProcessPool(size: number): ProcessPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`process pool size must be a positive integer, got ${size}`);
  let started = 0;
  let running = 0;
  const created = performance.now();
  let since = created;
  let lastFull = created;
  let closedAt: number | null = null;
  const occupied = Array<number>(size + 1).fill(0);
  /** Charges the time since the last change to the current running count. */
  const tick = (delta: number): void => {
    const now = performance.now();
    occupied[running]! += now - since;
    since = now;
    if (running === size) lastFull = now;
    running += delta;
    if (running === size) lastFull = now;
  };
  const sessions: SandboxSession[] = [];
  const owned: Array<Map<string, SandboxSession>> = [];
  const free: PoolSlot[] = Array.from({ length: size }, (_, index) => {
    const own = new Map<string, SandboxSession>();
    owned.push(own);
    return {
      index,
      session(level, readOnly) {
        const key = `${level}\u0000${readOnly.join('\u0000')}`;
        let s = own.get(key);
        if (!s) {
          s = openSandboxSession(level, { readOnly });
          own.set(key, s);
          sessions.push(s);
        }
        return s;
      },
    };
  });
  const waiting: Array<{ cost: number; start: (slot: PoolSlot) => void }> = [];
  const release = (slot: PoolSlot): void => {
    const next = waiting.shift()?.start;
    if (next) next(slot);
    else free.push(slot);
  };
  return {
    size,
    get started() {
      return started;
    },
    get sandboxStartMs() {
      return sessions.reduce((s, x) => s + x.startMs, 0);
    },
    async run<T>(task: (slot: PoolSlot) => Promise<T>, cost = 0): Promise<T> {
      const slot = free.shift() ?? (await new Promise<PoolSlot>((start) => {
        // After every queued task of at least this cost: descending, FIFO among equals (the queue is short: one task per document in flight).
        let i = waiting.length;
        while (i > 0 && waiting[i - 1]!.cost < cost) i--;
        waiting.splice(i, 0, { cost, start });
      }));
      started++;
      tick(+1);
      try {
        return await task(slot);
      } finally {
        tick(-1);
        release(slot);
      }
    },
    occupancy() {
      const now = closedAt ?? performance.now();
      const ms = occupied.slice();
      ms[running]! += now - since;
      return { ms, tailMs: running === size ? 0 : now - lastFull };
    },
    close() {
      closedAt ??= performance.now();
      for (const s of sessions.splice(0)) s.close();
      for (const m of owned) m.clear();
    },
  };
}
