import type { Doc } from '../../pipeline/doc.js';
import type { FilterResult } from '../../pipeline/stage.js';

/**
 * Worker steps for the budget and error-boundary tests: a real catastrophic
 * regex (nested quantifiers, exponential backtracking on a near-match — the
 * shape of the Triton decorator pattern of issue 12), a planted busy loop, a
 * throw, and a heap blow-up, each on one named document.
 */
export function plantedStep(doc: Doc): FilterResult {
  if (doc.path === 'regex.py') {
    // ~2^40 steps: hours, unless the thread is terminated.
    /^(?:[a-z]+\s*)+$/.test(doc.text!);
  }
  if (doc.path === 'loop.c') for (;;);
  if (doc.path === 'throws.c') throw new Error(`cannot parse ${doc.path} at /secret/host/path.c`);
  if (doc.path === 'heap.c') {
    const hog: string[] = [];
    for (;;) hog.push('x'.repeat(1024) + hog.length);
  }
  doc.annotations.planted = doc.text?.length ?? 0;
  return true;
}

export const PLANTED_STEPS = new URL('./planted-steps.js', import.meta.url).href;

let immediatesRun = 0;

/**
 * Schedules an immediate and reports how many earlier ones have run: the event
 * loop turns between tasks only if they did (Node-API finalizers, such as
 * tree-sitter's that free a tree's native memory, wait for that turn).
 */
export function immediateStep(doc: Doc): FilterResult {
  doc.annotations.immediatesRun = immediatesRun;
  setImmediate(() => immediatesRun++);
  return true;
}

/** Spins until this thread has burnt `options.cpuMs` of CPU time (for the thread-CPU accounting test). */
export async function burnStep(doc: Doc, options: { cpuMs: number }): Promise<FilterResult> {
  const { threadCpuMs } = await import('../../pipeline/thread-cpu.js');
  const start = threadCpuMs()!;
  while (threadCpuMs()! - start < options.cpuMs);
  doc.annotations.burnt = true;
  return true;
}
