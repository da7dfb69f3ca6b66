import { diffDoc, snapshotDoc, type DocPatch, type EncodedText, type StoredBlob } from './doc-patch.js';
import type { Doc } from './doc.js';
import {
  PROGRESS_BEAT,
  PROGRESS_ITEM,
  PROGRESS_STEP,
  type DocStep,
  type ItemOutcome,
  type ItemStep,
  type PoolTask,
  type StepEnv,
} from './task-protocol.js';
import { describeError } from './errors.js';
import { collectYoung } from './native-gc.js';
import { threadCpuMs } from './thread-cpu.js';

/** A document on its way to a worker: the Doc, what each stage prepared, and its blob when the text is not in memory. */
export interface WorkItem {
  doc: Doc;
  prepared: unknown[];
  blob: StoredBlob | null;
}

/** What a `docs` task returns per document: the patch, and the text when the main thread lacks it or it changed. */
export interface DocResult {
  patch: DocPatch;
  text: string | null;
}

/** The store's blob codec, run on the worker so inflate/deflate never load the main thread. */
export interface TextCodec {
  decodeDocText(blob: StoredBlob): string;
  encodeDocText(text: string): EncodedText;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

async function load(module: string): Promise<Record<string, unknown>> {
  let m = modules.get(module);
  if (!m) modules.set(module, (m = import(module) as Promise<Record<string, unknown>>));
  return m;
}

async function stepFunction(module: string, fn: string): Promise<(...args: unknown[]) => unknown> {
  const f = (await load(module))[fn];
  if (typeof f !== 'function') throw new Error(`${module} has no step function ${fn}`);
  return f as (...args: unknown[]) => unknown;
}

/**
 * piscina entry point of the rebuild's one pool: runs every item of a task
 * through the task's steps, in order. Each step is an error boundary (a throw
 * stops that item with the message, never the task), and the progress buffer
 * says which item and step run now, so the main thread can terminate this
 * thread when one document exceeds its time budget (pipeline/budget.ts).
 */
export default async function runTask(task: PoolTask): Promise<ItemOutcome[]> {
  const progress = new Int32Array(task.progress);
  const wall0 = performance.now();
  const cpu0 = threadCpuMs();
  const fns = await Promise.all(task.steps.map((s) => stepFunction(s.module, s.fn)));
  const codec = task.kind === 'docs' && task.codec ? ((await load(task.codec)) as unknown as TextCodec) : null;
  const out: ItemOutcome[] = [];
  for (let i = 0; i < task.items.length; i++) {
    Atomics.store(progress, PROGRESS_ITEM, i);
    Atomics.store(progress, PROGRESS_STEP, -1);
    Atomics.add(progress, PROGRESS_BEAT, 1);
    out.push(task.kind === 'docs' ? await runDoc(task, fns, codec, task.items[i] as WorkItem, progress) : await runItem(task, fns, task.items[i], progress));
  }
  Atomics.store(progress, PROGRESS_ITEM, -2);
  collectYoung();
  // The collected wrappers' native finalizers (tree-sitter trees) are queued for
  // the event loop, and piscina hands a busy worker its next task through
  // Atomics.wait without ever turning it: they never ran, and RSS grew by
  // ~0.7 MB per normalized document (2.7 GB peak at 100k files). One turn here runs them.
  await new Promise((resolve) => setImmediate(resolve));
  chargeCpu(out, wall0, cpu0);
  return out;
}

/** Splits the task's thread CPU time over its steps in proportion to their wall time (see ItemOutcome.cpuMs). */
function chargeCpu(out: ItemOutcome[], wall0: number, cpu0: number | null): void {
  const cpu1 = threadCpuMs();
  const wall = performance.now() - wall0;
  if (cpu0 === null || cpu1 === null || wall <= 0) return;
  const ratio = Math.min(1, Math.max(0, (cpu1 - cpu0) / wall));
  for (const o of out) o.cpuMs = o.ms.map((ms) => (ms ?? 0) * ratio);
}

async function runItem(task: PoolTask, fns: Array<(...a: unknown[]) => unknown>, item: unknown, progress: Int32Array): Promise<ItemOutcome> {
  const outcome: ItemOutcome = { value: item, stop: null, ms: [], counters: [] };
  for (let s = 0; s < fns.length && !outcome.stop; s++) {
    await timedStep(outcome, s, progress, () => (fns[s] as ItemStep)(item, task.steps[s]!.options, envFor(outcome, s)));
  }
  return outcome;
}

async function runDoc(
  task: PoolTask,
  fns: Array<(...a: unknown[]) => unknown>,
  codec: TextCodec | null,
  item: WorkItem,
  progress: Int32Array,
): Promise<ItemOutcome> {
  const doc = item.doc;
  const outcome: ItemOutcome = { value: null, stop: null, ms: [], counters: [] };
  const textSent = doc.text !== null;
  // Decoding counts against the first step's budget: a bomb-sized blob is that step's input.
  await timedStep(outcome, 0, progress, () => {
    if (doc.text === null && item.blob && codec) doc.text = codec.decodeDocText(item.blob);
  });
  const before = snapshotDoc(doc);
  for (let s = 0; s < fns.length && !outcome.stop; s++) {
    await timedStep(outcome, s, progress, async () => {
      const r = await (fns[s] as DocStep)(doc, task.steps[s]!.options, envFor(outcome, s), item.prepared[s]);
      if (r && typeof r === 'object') outcome.stop = { step: s, kind: 'drop', reason: r.reason, ...(r.details ? { details: r.details } : {}) };
    });
  }
  const patch = diffDoc(before, doc);
  const changed = doc.text !== before.text;
  if (changed && doc.text !== null && codec) patch.text = codec.encodeDocText(doc.text);
  const result: DocResult = { patch, text: !textSent || changed ? doc.text : null };
  outcome.value = result;
  return outcome;
}

/** Runs one step as an error boundary, timing it and publishing the step index. */
async function timedStep(outcome: ItemOutcome, s: number, progress: Int32Array, run: () => unknown): Promise<void> {
  if (Atomics.load(progress, PROGRESS_STEP) !== s) {
    Atomics.store(progress, PROGRESS_STEP, s);
    Atomics.add(progress, PROGRESS_BEAT, 1);
  }
  const t = performance.now();
  try {
    await run();
  } catch (err) {
    outcome.stop = { step: s, kind: 'error', message: describeError(err) };
  }
  outcome.ms[s] = (outcome.ms[s] ?? 0) + performance.now() - t;
}

function envFor(outcome: ItemOutcome, s: number): StepEnv {
  return {
    count(name, n = 1) {
      const c = (outcome.counters[s] ??= {});
      c[name] = (c[name] ?? 0) + n;
    },
  };
}

/** This module's URL: the file every pool of the pipeline runs (pipeline/worker-pool.ts). */
export const TASK_WORKER_MODULE = new URL(import.meta.url);
