import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { classifyRun, isTransient } from '../../annotate/verify/classify.js';
import { verifyDoc } from '../../annotate/verify/verify-doc.js';
import { openCorpus } from '../../corpus/db.js';
import { makeDoc, makeTempDir } from '../helpers.js';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { verifyEnvFor } from './verify-env.js';

test('the verify cache is keyed by sandbox level and limits: a raised memory limit checks again', async () => {
  requireTool('python3');
  await requireBwrap();
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const env = verifyEnvFor(db);
  try {
    const doc = makeDoc('py/a.py', 'x = 1\n', { repo: 'r' });
    env.limits = { memoryBytes: 8 * 1024 * 1024 };
    const low = (await verifyDoc(doc, env))!;
    assert.deepEqual([low.status, low.standalone.kind], ['resource-limit', 'memory'], JSON.stringify(low));
    // Deterministic for that limit: answered from the cache, not retried.
    assert.equal((await verifyDoc(doc, env))!.status, 'resource-limit');
    assert.deepEqual([env.counters.runs, env.counters.hits, env.counters.retries ?? 0], [1, 1, 0]);
    env.limits = {};
    assert.equal((await verifyDoc(doc, env))!.status, 'compiles');
    assert.equal(env.counters.runs, 2, 'a raised limit is a new key');
    // Another sandbox level is another key too; back at bwrap, the cache answers.
    env.sandbox = 'unshare';
    assert.equal((await verifyDoc(doc, env))!.sandbox, 'unshare');
    assert.equal(env.counters.runs, 3);
    env.sandbox = 'bwrap';
    await verifyDoc(doc, env);
    assert.deepEqual([env.counters.runs, env.counters.hits], [3, 2]);
  } finally {
    env.pool.close();
    db.close();
  }
});

test('load-dependent outcomes are transient, limit hits are facts for their limit', () => {
  const run = { exitCode: null, signal: null, timedOut: false, output: '', truncated: false, cpuMs: 0, wallMs: 0, level: 'bwrap' as const };
  const wall = classifyRun('gcc', { ...run, timedOut: true, signal: 'SIGKILL' });
  assert.deepEqual([wall.status, wall.kind, isTransient(wall)], ['timeout', 'wall-clock', true]);
  const cpu = classifyRun('gcc', { ...run, signal: 'SIGXCPU', cpuMs: 20_000, cpuLimitMs: 20_000 });
  assert.deepEqual([cpu.status, cpu.kind, isTransient(cpu)], ['timeout', 'cpu-limit', false]);
  const hard = classifyRun('gcc', { ...run, signal: 'SIGKILL', cpuMs: 19_990, cpuLimitMs: 20_000 });
  assert.deepEqual([hard.status, hard.kind], ['timeout', 'cpu-limit']);
  const killed = classifyRun('gcc', { ...run, signal: 'SIGKILL', cpuMs: 30, cpuLimitMs: 20_000 });
  assert.deepEqual([killed.status, killed.kind, isTransient(killed)], ['resource-limit', 'killed', true]);
  const fsize = classifyRun('yosys', { ...run, signal: 'SIGXFSZ' });
  assert.deepEqual([fsize.status, fsize.kind, isTransient(fsize)], ['resource-limit', 'file-size', false]);
  // RLIMIT_AS below what the interpreter needs: either the loader cannot map libm, or CPython's runtime init fails.
  for (const output of ['/usr/bin/python3: error while loading shared libraries: libm.so.6: failed to map segment from shared object', 'Fatal Python error: _PyRuntimeState_Init: memory allocation failed']) {
    const oom = classifyRun('python3', { ...run, exitCode: 1, output });
    assert.deepEqual([oom.status, oom.kind, isTransient(oom)], ['resource-limit', 'memory', false], output);
  }
  const sandbox = classifyRun('gcc', { ...run, sandboxError: 'bwrap exited' });
  assert.deepEqual([sandbox.status, isTransient(sandbox)], ['not-checked', true]);
});
