import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import type { Doc } from '../../pipeline/doc.js';
import { runStages } from '../../pipeline/run-stages.js';
import { createFilter, type Stage } from '../../pipeline/stage.js';
import { StatsRegistry } from '../../pipeline/stats.js';
import { createWorkerStage } from '../../pipeline/worker-chain.js';
import { createWorkerPool } from '../../pipeline/worker-pool.js';
import { createStageContext, TASK_WORKER } from '../../rebuild/stage-context.js';
import { makeDoc, makeTempDir } from '../helpers.js';
import { PLANTED_STEPS } from './planted-steps.js';

const planted = (): Stage => createWorkerStage({ name: 'planted', options: {}, step: { module: PLANTED_STEPS, fn: 'plantedStep' } });
const after = (): Stage => createFilter('after', {}, () => true);

async function run(stages: Stage[], docs: Doc[], opts: { threads: number | null; budgetMs: number }) {
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const pool = opts.threads === null ? null : await createWorkerPool(TASK_WORKER, opts.threads, { heapMiB: 128 });
  const stats = new StatsRegistry();
  const drops: Array<{ path: string; stage: string; reason: string; details: Record<string, unknown> | undefined }> = [];
  const ctx = createStageContext(db, { stats, pool, docBudgetMs: opts.budgetMs, drop: (doc, stage, reason, details) => void drops.push({ path: doc.path, stage, reason, details }) });
  async function* source(): AsyncGenerator<Doc> {
    yield* docs;
  }
  const kept: Doc[] = [];
  const t = performance.now();
  try {
    for await (const d of runStages(stages, source(), ctx)) kept.push(d);
  } finally {
    await pool?.close();
    db.close();
  }
  return { kept, drops, stats, ms: performance.now() - t };
}

const docsWith = (...bad: string[]): Doc[] => [
  makeDoc('a.c', 'int a;\n'),
  ...bad.map((p) => makeDoc(p, p === 'regex.py' ? 'a'.repeat(40) + ' !\n' : 'int x;\n')),
  makeDoc('b.c', 'int b;\n'),
  ...Array.from({ length: 100 }, (_, i) => makeDoc(`many/${i}.c`, `int v${i};\n`)),
];

test('budget: a catastrophic regex and a busy loop on a worker become stage-timeout drops; the run goes on in order', async () => {
  const docs = docsWith('regex.py', 'loop.c');
  const r = await run([planted(), after()], docs, { threads: 2, budgetMs: 400 });
  assert.deepEqual(
    r.drops.map((d) => [d.path, d.stage, d.reason, d.details?.stage]),
    [
      ['regex.py', 'planted', 'stage-timeout', 'planted'],
      ['loop.c', 'planted', 'stage-timeout', 'planted'],
    ],
  );
  assert.equal(r.drops[0]!.details?.budgetMs, 400);
  assert.deepEqual(r.kept.map((d) => d.path), docs.map((d) => d.path).filter((p) => p !== 'regex.py' && p !== 'loop.c'), 'every other document, in input order');
  assert.ok(r.kept.every((d) => d.annotations.planted === d.text!.length), 'the step ran on every survivor (results kept across the terminated thread)');
  const s = r.stats.for('planted');
  assert.deepEqual([s.seen, s.kept, s.dropped, s.droppedBy['stage-timeout']], [docs.length, docs.length - 2, 2, 2]);
  assert.equal(r.stats.for('after').seen, docs.length - 2);
  assert.ok(r.ms < 20_000, `finished in ${r.ms.toFixed(0)} ms, not stalled`);
});

test('error boundary: a throw and a heap blow-up on a worker become stage-error drops with the message, host paths masked', async () => {
  const docs = docsWith('throws.c', 'heap.c');
  const r = await run([planted()], docs, { threads: 1, budgetMs: 30_000 });
  assert.deepEqual(r.drops.map((d) => [d.path, d.reason]), [
    ['throws.c', 'stage-error'],
    ['heap.c', 'stage-error'],
  ]);
  assert.match(String(r.drops[0]!.details?.message), /^Error: cannot parse throws\.c at <path>$/);
  assert.match(String(r.drops[1]!.details?.message), /worker thread died/);
  assert.equal(r.kept.length, docs.length - 2);
});

test('error boundary without a pool: worker steps run inline and a throw is still a stage-error drop', async () => {
  const docs = docsWith('throws.c');
  const r = await run([planted()], docs, { threads: null, budgetMs: 1000 });
  assert.deepEqual(r.drops.map((d) => [d.path, d.reason]), [['throws.c', 'stage-error']]);
  assert.equal(r.kept.length, docs.length - 1);
});

test('error boundary on the main thread: a filter predicate that throws drops that document with stage-error', async () => {
  const flaky = createFilter('flaky', {}, (doc) => {
    if (doc.path === 'b.c') throw new TypeError('boom');
    return true;
  });
  const docs = docsWith();
  const r = await run([flaky], docs, { threads: null, budgetMs: 1000 });
  assert.deepEqual(r.drops.map((d) => [d.path, d.stage, d.reason, d.details?.message]), [['b.c', 'flaky', 'stage-error', 'TypeError: boom']]);
  assert.equal(r.kept.length, docs.length - 1);
});
