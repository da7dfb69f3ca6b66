import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ItemOutcome, PoolTask } from '../../pipeline/task-protocol.js';
import { taskCpuMs, threadCpuMs } from '../../pipeline/thread-cpu.js';
import { createWorkerPool } from '../../pipeline/worker-pool.js';
import { TASK_WORKER } from '../../rebuild/stage-context.js';
import { makeDoc } from '../helpers.js';
import { PLANTED_STEPS } from './planted-steps.js';

test('thread CPU time grows with work on this thread; the main thread is found by the pid', () => {
  const before = threadCpuMs();
  assert.ok(before !== null && before >= 0);
  let x = 0;
  // Spin until 50 ms of this thread's CPU time have passed (wall time may be much longer on a busy machine).
  while (threadCpuMs()! - before < 50) x += Math.sqrt(x + 1);
  assert.ok(x > 0);
  const main = taskCpuMs(process.pid);
  assert.ok(main !== null && main >= before + 50, `main thread ${main} ms, this thread went from ${before} ms`);
  assert.equal(taskCpuMs(2 ** 31 - 1), null);
});

// A worker step's CPU time is its wall time scaled by the task's thread CPU over
// its wall time: a busy machine stretches the wall time, not this.
test('a worker task reports thread CPU per step, at most its wall time, and about what the step burnt', async () => {
  const pool = await createWorkerPool(TASK_WORKER, 1, { heapMiB: 128 });
  try {
    const steps = [
      { stage: 'burn', module: PLANTED_STEPS, fn: 'burnStep', options: { cpuMs: 200 } },
      { stage: 'idle', module: PLANTED_STEPS, fn: 'immediateStep', options: {} },
    ];
    const doc = makeDoc('burn.c', 'int x;\n');
    const task = { kind: 'docs', steps, items: [{ doc: { ...doc, blob: null }, prepared: [null, null], blob: null }], progress: new SharedArrayBuffer(16) } as unknown as PoolTask;
    const [o] = await pool.run<PoolTask, ItemOutcome[]>(task);
    assert.ok(o!.cpuMs, 'cpuMs reported');
    assert.equal(o!.cpuMs!.length, 2);
    for (let s = 0; s < 2; s++) assert.ok(o!.cpuMs![s]! <= o!.ms[s]! + 1e-9, `step ${s}: cpu ${o!.cpuMs![s]} ms > wall ${o!.ms[s]} ms`);
    // 200 ms burnt; the task's own overhead (module loads) is charged in proportion, and ticks are 10 ms.
    assert.ok(o!.cpuMs![0]! >= 150, `burn step charged ${o!.cpuMs![0]} ms`);
  } finally {
    await pool.close();
  }
});
