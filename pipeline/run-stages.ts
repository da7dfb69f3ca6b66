import { performance } from 'node:perf_hooks';
import type { Doc } from './doc.js';
import type { Stage, StageContext } from './stage.js';
import type { StageStats, StatsRegistry } from './stats.js';
import { runWorkerChain } from './worker-chain.js';
import { isWorkerStage, type WorkerStageSpec } from './worker-stage.js';

/**
 * Chains the stages over a document stream, in order: what each stage yields
 * is the next one's input. Consecutive worker stages are fused into one
 * worker trip per batch (their stats stay separate). Each stage is charged
 * only its own time. A stage that does not handle texts left in the blob
 * store gets them read back first. The caller drains the returned stream (and
 * records what survives).
 */
export function runStages(stages: readonly Stage[], source: AsyncIterable<Doc>, ctx: StageContext): AsyncIterable<Doc> {
  let stream = source;
  for (let i = 0; i < stages.length; ) {
    const chain: WorkerStageSpec[] = [];
    for (let stage = stages[i]!; i < stages.length && isWorkerStage((stage = stages[i]!)); i++) chain.push(stage.worker);
    if (chain.length > 0) {
      stream = runWorkerChain(chain, stream, ctx);
      continue;
    }
    const stage = stages[i++]!;
    stream = runTimed(stage, stage.lazyText ? stream : withText(stream, ctx), ctx);
  }
  return stream;
}

/** Reads back texts that an earlier stage left in the blob store. */
async function* withText(docs: AsyncIterable<Doc>, ctx: StageContext): AsyncGenerator<Doc> {
  for await (const doc of docs) {
    if (doc.text === null && doc.textSha256) doc.text = ctx.loadText(doc.textSha256);
    yield doc;
  }
}

/** Totals of one run in the stats vocabulary: seen by the first stage, dropped by `stage/reason`. */
export interface RunTotals {
  seen: number;
  kept: number;
  dropped: number;
  /** Drops keyed `stage/reason`. */
  droppedBy: Record<string, number>;
}

export function totalStats(stats: StatsRegistry): RunTotals {
  const droppedBy: Record<string, number> = {};
  let dropped = 0;
  for (const [stage, s] of stats.stages) {
    for (const [reason, n] of Object.entries(s.droppedBy)) {
      droppedBy[`${stage}/${reason}`] = n;
      dropped += n;
    }
  }
  const first = stats.stages.values().next().value as StageStats | undefined;
  const seen = first?.seen ?? 0;
  return { seen, kept: seen - dropped, dropped, droppedBy };
}

/** Runs a stage and charges it only for its own time, not for waiting on upstream stages. */
async function* runTimed(stage: Stage, input: AsyncIterable<Doc>, ctx: StageContext): AsyncGenerator<Doc> {
  let upstreamMs = 0;
  async function* measured(): AsyncGenerator<Doc> {
    const it = input[Symbol.asyncIterator]();
    for (;;) {
      const t = performance.now();
      const r = await it.next();
      upstreamMs += performance.now() - t;
      if (r.done) return;
      yield r.value;
    }
  }
  const out = stage.run(measured(), ctx)[Symbol.asyncIterator]();
  let totalMs = 0;
  for (;;) {
    const t = performance.now();
    const r = await out.next();
    totalMs += performance.now() - t;
    if (r.done) break;
    yield r.value;
  }
  ctx.stats.addTime(stage.name, Math.max(0, totalMs - upstreamMs));
}
