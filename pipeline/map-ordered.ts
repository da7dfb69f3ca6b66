/**
 * Maps an async iterable through an async function with up to `window` calls in
 * flight, yielding results in input order — so parallel stages stay
 * deterministic (first-seen-wins dedup depends on order).
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, window: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  for await (const item of source) {
    const p = fn(item);
    // Avoid an unhandled rejection while an earlier item is still awaited; the
    // error is rethrown when this promise's turn comes.
    p.catch(() => {});
    inFlight.push(p);
    if (inFlight.length >= window) yield await inFlight.shift()!;
  }
  while (inFlight.length > 0) yield await inFlight.shift()!;
}

/** Groups items into arrays of at most maxItems items or maxWeight total weight. */
export async function* batch<T>(source: AsyncIterable<T>, maxItems: number, maxWeight: number, weigh: (item: T) => number): AsyncGenerator<T[]> {
  let current: T[] = [];
  let weight = 0;
  for await (const item of source) {
    current.push(item);
    weight += weigh(item);
    if (current.length >= maxItems || weight >= maxWeight) {
      yield current;
      current = [];
      weight = 0;
    }
  }
  if (current.length > 0) yield current;
}

/**
 * Like mapOrdered, but a slow item does not stall the rest: up to
 * `concurrency` calls run at once, and up to `lookahead` items (running or
 * finished, not yet yielded) may be held behind a slow head, so later items
 * keep starting while it runs. Output stays in input order. With `weigh`,
 * the held items' total weight stays under `maxWeight` too (bytes of text:
 * memory stays bounded whatever the items' sizes); the head always starts.
 */
export async function* mapAhead<T, R>(source: AsyncIterable<T>, concurrency: number, lookahead: number, fn: (item: T) => Promise<R>, bound?: { weigh: (item: T) => number; maxWeight: number }): AsyncGenerator<R> {
  if (!(concurrency >= 1 && lookahead >= concurrency)) throw new RangeError(`mapAhead needs 1 ≤ concurrency ≤ lookahead, got ${concurrency}, ${lookahead}`);
  const it = source[Symbol.asyncIterator]();
  const held: Array<{ done: boolean; p: Promise<R>; weight: number }> = [];
  let heldWeight = 0;
  let pulled: IteratorResult<T> | null = null;
  let running = 0;
  let exhausted = false;
  let wake: (() => void) | null = null;
  try {
    for (;;) {
      while (!exhausted && running < concurrency && held.length < lookahead) {
        // An item too heavy to start now waits (pulled, not started) until held ones are yielded.
        const r: IteratorResult<T> = pulled ?? (await it.next());
        pulled = null;
        if (r.done) {
          exhausted = true;
          break;
        }
        const weight = bound ? bound.weigh(r.value) : 0;
        if (bound && held.length > 0 && heldWeight + weight > bound.maxWeight) {
          pulled = r;
          break;
        }
        heldWeight += weight;
        running++;
        const entry = { done: false, p: undefined as unknown as Promise<R>, weight };
        entry.p = fn(r.value).finally(() => {
          entry.done = true;
          running--;
          const w = wake;
          wake = null;
          w?.();
        });
        // Rethrown when this item's turn comes; not an unhandled rejection meanwhile.
        entry.p.catch(() => {});
        held.push(entry);
      }
      const head = held[0];
      if (!head) return;
      if (head.done) {
        held.shift();
        heldWeight -= head.weight;
        yield await head.p;
        continue;
      }
      // Wake on any completion: the head, or a later item whose slot can start the next.
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!exhausted) await it.return?.();
  }
}

/**
 * Batches a stream (at most maxItems items or maxWeight of weight each) and
 * maps the batches through pool tasks in input order: two tasks per thread
 * running, so a thread never waits for the main thread's next hand-off, and up
 * to eight batches per thread (at most 64 MB of weight) held behind a slow one.
 * With a plain window of two per thread, a batch holding one large file left
 * the other thread idle for a second at a time (10k scale corpus, 2026-12-03).
 */
export function mapBatchesAhead<T, R>(
  source: AsyncIterable<T>,
  sizes: { maxItems: number; maxWeight: number; weigh: (item: T) => number },
  poolSize: number,
  fn: (group: T[]) => Promise<R>,
): AsyncGenerator<R> {
  const { maxItems, maxWeight, weigh } = sizes;
  return mapAhead(batch(source, maxItems, maxWeight, weigh), Math.max(2, poolSize * 2), Math.max(8, poolSize * 8), fn, {
    weigh: (group) => group.reduce((a, item) => a + weigh(item), 0),
    maxWeight: 64 * 1024 * 1024,
  });
}
