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
