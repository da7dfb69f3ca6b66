import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PoolTask } from '../../pipeline/task-protocol.js';
import type { DocResult } from '../../pipeline/task-worker.js';
import { createWorkerPool } from '../../pipeline/worker-pool.js';
import { TASK_WORKER } from '../../rebuild/stage-context.js';
import { makeDoc } from '../helpers.js';
import { PLANTED_STEPS } from './planted-steps.js';

// piscina hands a busy worker its next task through Atomics.wait, without a
// turn of the event loop; the task worker turns it once per task, so native
// finalizers queued there (tree-sitter trees) run even when tasks never stop
// coming. Without that turn, RSS grew by ~0.7 MB per normalized document.
test('a worker runs its event loop between back-to-back tasks', async () => {
  const pool = await createWorkerPool(TASK_WORKER, 1, { heapMiB: 128 });
  try {
    const steps = [{ stage: 'immediate', module: PLANTED_STEPS, fn: 'immediateStep', options: {} }];
    const tasks = Array.from({ length: 12 }, (_, i) => {
      const doc = makeDoc(`f${i}.c`, 'int x;\n');
      const task = { kind: 'docs', steps, items: [{ doc: { ...doc, blob: null }, prepared: [null], blob: null }], progress: new SharedArrayBuffer(16) } as unknown as PoolTask;
      return pool.run<PoolTask, Array<{ value: DocResult }>>(task);
    });
    const seen = (await Promise.all(tasks)).map((r) => r[0]!.value.patch.annotations.immediatesRun as number);
    // Whatever order the pool ran them in, each task saw the immediates of every task before it.
    assert.deepEqual([...seen].sort((a, b) => a - b), seen.map((_, i) => i));
  } finally {
    await pool.close();
  }
});
