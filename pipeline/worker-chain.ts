import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { runWithBudget } from './budget.js';
import { applyPatch, type DocPatch } from './doc-patch.js';
import type { Doc } from './doc.js';
import { mapBatchesAhead } from './map-ordered.js';
import { STAGE_ERROR, STAGE_TIMEOUT, type StageContext } from './stage.js';
import type { ItemOutcome, StepSpec, Stop } from './task-protocol.js';
import runTask, { type DocResult, type WorkItem } from './task-worker.js';
import type { Prepared, WorkerStage, WorkerStageSpec } from './worker-stage.js';

/** Documents per worker trip, and a cap on their bytes: large enough to amortize the hand-off, small enough to keep threads busy. */
const BATCH_DOCS = 64;
const BATCH_BYTES = 4 * 1024 * 1024;

/** What the memo keeps for a document: the patch (text by hash only), the decision and the counters. */
interface MemoValue {
  patch: DocPatch;
  stop: Stop | null;
  counters: ItemOutcome['counters'];
}

interface Outcome {
  doc: Doc;
  stop: Stop | null;
  ms: number[];
  cpuMs?: number[];
  counters: ItemOutcome['counters'];
  hit: boolean;
}

/** A worker stage on its own (the runner fuses neighbours; see runStages). */
export function createWorkerStage(spec: WorkerStageSpec): WorkerStage {
  return { name: spec.name, options: spec.options, worker: spec, lazyText: true, run: (docs, ctx) => runWorkerChain([spec], docs, ctx) };
}

/**
 * Runs consecutive worker stages over a stream, in input order: per batch,
 * each stage's main-thread `prepareDoc`, then the memo (one lookup per batch),
 * then one budgeted pool task for the documents the memo did not answer,
 * whose steps run back to back on a worker. Counters, drops and times are
 * recorded per stage as if each ran alone; a worker step's time is its
 * thread's time (summed over threads).
 */
export async function* runWorkerChain(specs: readonly WorkerStageSpec[], docs: AsyncIterable<Doc>, ctx: StageContext): AsyncGenerator<Doc> {
  const steps: StepSpec[] = specs.map((s) => ({ stage: s.name, module: s.step.module, fn: s.step.fn, options: s.stepOptions ?? s.options }));
  const chainKey = memoScope(ctx, 'chain', specs.map((s) => [s.name, s.options, s.stepOptions ?? null]));
  const readsText = specs.some((s) => s.readsText !== false);
  const weigh = (d: Doc): number => d.text?.length ?? (d.textSha256 ? d.size : 0);
  const done = mapBatchesAhead(docs, { maxItems: BATCH_DOCS, maxWeight: BATCH_BYTES, weigh }, ctx.poolSize, (group) =>
    runBatch(group, { specs, steps, chainKey, readsText, ctx }),
  );
  for await (const outcomes of done) {
    for (const o of outcomes) if (record(specs, o, ctx)) yield o.doc;
  }
}

interface Chain {
  specs: readonly WorkerStageSpec[];
  steps: StepSpec[];
  chainKey: string;
  readsText: boolean;
  ctx: StageContext;
}

const NOTHING: Prepared = { value: null, key: '' };

async function runBatch(group: Doc[], c: Chain): Promise<Outcome[]> {
  const { ctx } = c;
  const prepared: Prepared[][] = [];
  for (const doc of group) {
    const p: Prepared[] = [];
    for (const s of c.specs) p.push(s.prepareDoc ? await s.prepareDoc(doc, ctx) : NOTHING);
    prepared.push(p);
  }
  const keys = ctx.memo ? group.map((d, i) => memoKey(c.chainKey, d, prepared[i]!)) : null;
  const hits = keys ? ctx.memo!.getMany(c.chainKey, keys) : new Map<string, Uint8Array>();
  const outcomes: Outcome[] = new Array(group.length);
  const misses: number[] = [];
  group.forEach((doc, i) => {
    const value = keys ? hits.get(keys[i]!) : undefined;
    const o = value ? fromMemo(doc, value, ctx) : null;
    if (o) outcomes[i] = o;
    else misses.push(i);
  });
  if (misses.length > 0) {
    const items = misses.map((i) => workItem(group[i]!, prepared[i]!, c));
    const results = await runDocTask(c.steps, items, ctx);
    misses.forEach((i, k) => (outcomes[i] = fromWorker(group[i]!, results[k]!, ctx, keys ? { scope: c.chainKey, key: keys[i]! } : undefined)));
  }
  return outcomes;
}

function workItem(doc: Doc, prepared: Prepared[], c: Chain): WorkItem {
  const lazy = doc.text === null && doc.textSha256;
  return { doc: { ...doc, blob: null }, prepared: prepared.map((p) => p.value), blob: lazy && c.readsText ? c.ctx.loadBlob(doc.textSha256!) : null };
}

async function runDocTask(steps: StepSpec[], items: WorkItem[], ctx: StageContext): Promise<ItemOutcome[]> {
  const task = { kind: 'docs' as const, steps, items, ...(ctx.textCodec ? { codec: ctx.textCodec } : {}) };
  if (ctx.pool) return runWithBudget(ctx.pool, task, ctx.docBudgetMs);
  // No pool: the same steps inline, on copies (as a worker would get them), without a budget.
  return runTask({ ...structuredClone(task), progress: new SharedArrayBuffer(16) });
}

function fromWorker(doc: Doc, outcome: ItemOutcome, ctx: StageContext, memo: { scope: string; key: string } | undefined): Outcome {
  // The content the result is about: read before the patch may replace it.
  const content = doc.textSha256 ?? doc.sha256 ?? '';
  const r = outcome.value as DocResult | null;
  if (r) {
    applyPatch(doc, r.patch);
    const t = r.patch.text;
    if (t?.blob) ctx.putBlob(t.sha256, t.size, t.blob);
    if (r.text !== null) doc.text = r.text;
    // Load-dependent outcomes (timeouts, dead threads) and errors are never remembered as facts about a document.
    if (memo && ctx.memo && (outcome.stop === null || outcome.stop.kind === 'drop')) {
      const patch: DocPatch = { ...r.patch, ...(t ? { text: { sha256: t.sha256, size: t.size } } : {}) };
      ctx.memo.put(memo.scope, memo.key, content, serialize({ patch, stop: outcome.stop, counters: outcome.counters } satisfies MemoValue));
    }
  }
  return { doc, stop: outcome.stop, ms: outcome.ms, ...(outcome.cpuMs ? { cpuMs: outcome.cpuMs } : {}), counters: outcome.counters, hit: false };
}

function fromMemo(doc: Doc, value: Uint8Array, ctx: StageContext): Outcome | null {
  const m = deserialize(value) as MemoValue;
  // The refined text it points to may have been collected since: then compute again.
  if (m.patch.text && !ctx.hasBlob(m.patch.text.sha256)) return null;
  applyPatch(doc, m.patch);
  return { doc, stop: m.stop, ms: [], counters: m.counters, hit: true };
}

/** Stats and the verdict of one document, stage by stage; true when it survives the chain. */
function record(specs: readonly WorkerStageSpec[], o: Outcome, ctx: StageContext): boolean {
  for (let s = 0; s < specs.length; s++) {
    const name = specs[s]!.name;
    ctx.stats.seen(name);
    if (o.ms[s]) ctx.stats.addTime(name, o.ms[s]!);
    if (o.cpuMs?.[s]) ctx.stats.addCpu(name, o.cpuMs[s]!);
    for (const [k, n] of Object.entries(o.counters[s] ?? {})) ctx.stats.count(name, k, n);
    if (o.hit) ctx.stats.count(name, 'memo-hits');
    const stop = o.stop;
    if (stop && stop.step === s) {
      const { reason, details } =
        stop.kind === 'drop'
          ? stop
          : {
              reason: stop.kind === 'timeout' ? STAGE_TIMEOUT : STAGE_ERROR,
              details: { stage: name, message: stop.message, ...(stop.kind === 'timeout' ? { budgetMs: ctx.docBudgetMs } : {}) },
            };
      ctx.stats.dropped(name, reason);
      ctx.drop(o.doc, name, reason, details);
      return false;
    }
    ctx.stats.kept(name);
  }
  return true;
}

/**
 * The memo key of a document for a chain: everything a worker step may read
 * — the text (by hash), path, size, crawl status, the fields earlier stages
 * set, what each stage prepared — plus the chain's options and code version.
 * Neither the repository nor the file id: identical files share results.
 */
function memoKey(_scope: string, d: Doc, prepared: Prepared[]): string {
  const input = [d.textSha256 ?? null, d.sha256, d.path, d.size, d.crawlStatus, d.crawlReason, d.source, d.lang, d.domain, d.domainEvidence, d.features, d.license, d.modifiedBy];
  return sha256(JSON.stringify(input) + '\0' + prepared.map((p) => p.key).join('\0')).slice(0, 24);
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * Runs item steps (plain data in, edited in place) on the pool with the
 * per-document budget, or inline without a pool; outcomes in item order
 * (`value` is the edited item unless it failed).
 */
export async function runItemSteps(ctx: StageContext, steps: StepSpec[], items: unknown[]): Promise<ItemOutcome[]> {
  const task = { kind: 'items' as const, steps, items };
  if (ctx.pool) return runWithBudget(ctx.pool, task, ctx.docBudgetMs);
  return runTask({ ...structuredClone(task), progress: new SharedArrayBuffer(16) });
}

/** A memo scope for a stage's own results (e.g. signatures, license files): what they depend on besides the input, with the code version, hashed. */
export function memoScope(ctx: StageContext, ...parts: unknown[]): string {
  return sha256(JSON.stringify([ctx.codeVersion, ...parts])).slice(0, 24);
}

/** A memo key within a scope: the input's parts, hashed (96 bits: no collision among billions of inputs). */
export function memoKeyOf(...parts: unknown[]): string {
  return sha256(JSON.stringify(parts)).slice(0, 24);
}
