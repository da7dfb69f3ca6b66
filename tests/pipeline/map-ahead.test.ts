import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapAhead, mapBatchesAhead } from '../../pipeline/map-ordered.js';

async function* items(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** A promise with its resolver, to hold one item until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

test('mapAhead: a slow head does not stop later items from starting; output stays in input order', { timeout: 30_000 }, async () => {
  const head = gate();
  const rest = gate();
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const out: number[] = [];
  const run = (async () => {
    for await (const r of mapAhead(items(8), 2, 16, async (i) => {
      started.push(i);
      active++;
      peak = Math.max(peak, active);
      if (i === 0) await head.promise;
      else await new Promise((r) => setTimeout(r, 1));
      active--;
      if (i === 7) rest.open();
      return i * 10;
    })) out.push(r);
  })();
  // Items 1…7 all run to completion while item 0 is still held (a plain ordered window would wait for it).
  await rest.promise;
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(out, []);
  head.open();
  await run;
  assert.deepEqual(out, [0, 10, 20, 30, 40, 50, 60, 70]);
  assert.equal(peak, 2);
});

test('mapAhead: at most `lookahead` items are held behind an unfinished head', { timeout: 30_000 }, async () => {
  const head = gate();
  const started: number[] = [];
  const it = mapAhead(items(10), 2, 4, async (i) => {
    started.push(i);
    if (i === 0) await head.promise;
    return i;
  })[Symbol.asyncIterator]();
  const first = it.next();
  for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2, 3]);
  head.open();
  assert.deepEqual(await first, { value: 0, done: false });
  const rest: number[] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
  assert.deepEqual(rest, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('mapAhead: an error surfaces at its item, after the items before it', async () => {
  const out: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const r of mapAhead(items(6), 3, 6, async (i) => {
        if (i === 2) throw new Error('item 2 failed');
        return i;
      })) out.push(r);
    })(),
    /item 2 failed/,
  );
  assert.deepEqual(out, [0, 1]);
  await assert.rejects(mapAhead(items(1), 4, 2, async (i) => i).next(), RangeError);
});

test('mapAhead: held items stay under the weight bound; an item heavier than the bound still runs', { timeout: 30_000 }, async () => {
  const head = gate();
  const started: number[] = [];
  const weights = [10, 10, 10, 100, 10, 10];
  const it = mapAhead(items(6), 4, 10, async (i) => {
    started.push(i);
    if (i === 0) await head.promise;
    return i;
  }, { weigh: (i) => weights[i]!, maxWeight: 25 })[Symbol.asyncIterator]();
  const first = it.next();
  for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
  // 10 + 10 held; the third would make 30 > 25.
  assert.deepEqual(started, [0, 1]);
  head.open();
  const out = [(await first).value];
  for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value);
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
});

test('mapBatchesAhead: batches by count and weight, and a slow first batch lets eight per thread run past it', { timeout: 30_000 }, async () => {
  const head = gate();
  const past = gate();
  const started: number[][] = [];
  const out: number[][] = [];
  // 2 threads: 16 batches may be held; 20 items of weight 1 in batches of 1 give 20 batches.
  const run = (async () => {
    for await (const g of mapBatchesAhead(items(20), { maxItems: 1, maxWeight: 100, weigh: () => 1 }, 2, async (group) => {
      started.push(group);
      if (group[0] === 0) await head.promise;
      if (started.length === 16) past.open();
      return group;
    })) out.push(g);
  })();
  await past.promise;
  // The head's 15 followers all started; the 17th waits for the head to be yielded.
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(started.length, 16);
  assert.deepEqual(out, []);
  head.open();
  await run;
  assert.deepEqual(out, Array.from({ length: 20 }, (_, i) => [i]));
  // Batches by count and by weight.
  const byWeight: number[][] = [];
  for await (const g of mapBatchesAhead(items(7), { maxItems: 10, maxWeight: 3, weigh: () => 1 }, 1, async (group) => group)) byWeight.push(g);
  assert.deepEqual(byWeight, [[0, 1, 2], [3, 4, 5], [6]]);
});
