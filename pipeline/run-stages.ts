import { performance } from 'node:perf_hooks';
import type { Doc } from './doc.js';
import type { Stage, StageContext } from './stage.js';
import type { StageStats, StatsRegistry } from './stats.js';

/**
 * Chains the stages over a document stream, in order: what each stage yields
 * is the next one's input. Each stage is charged only its own time. The
 * caller drains the returned stream (and records what survives).
 */
export function runStages(stages: readonly Stage[], source: AsyncIterable<Doc>, ctx: StageContext): AsyncIterable<Doc> {
  let stream = source;
  for (const stage of stages) stream = runTimed(stage, stream, ctx);
  return stream;
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
