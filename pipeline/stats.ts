/**
 * Counters with a fixed vocabulary, so numbers from workers, stages and runs add
 * up: every document a stage sees is either kept or dropped for one reason.
 */
export interface StageStats {
  seen: number;
  kept: number;
  dropped: number;
  droppedBy: Record<string, number>;
  timeMs: number;
  /** Worker stages: thread CPU ms (timeMs scaled by each task's CPU/wall ratio); absent for main-thread stages. */
  cpuMs?: number;
  /** Stage-specific named counters (e.g. verify's cache hits and tool runs); they add up like the rest. */
  counters?: Record<string, number>;
}

export function emptyStageStats(): StageStats {
  return { seen: 0, kept: 0, dropped: 0, droppedBy: {}, timeMs: 0 };
}

/** Adds b into a (in place) and returns a. */
export function addStageStats(a: StageStats, b: StageStats): StageStats {
  a.seen += b.seen;
  a.kept += b.kept;
  a.dropped += b.dropped;
  a.timeMs += b.timeMs;
  if (b.cpuMs !== undefined) a.cpuMs = (a.cpuMs ?? 0) + b.cpuMs;
  for (const [reason, n] of Object.entries(b.droppedBy)) a.droppedBy[reason] = (a.droppedBy[reason] ?? 0) + n;
  for (const [name, n] of Object.entries(b.counters ?? {})) (a.counters ??= {})[name] = (a.counters[name] ?? 0) + n;
  return a;
}

/** Per-stage counters for one run, in stage order. */
export class StatsRegistry {
  readonly stages = new Map<string, StageStats>();

  for(stage: string): StageStats {
    let s = this.stages.get(stage);
    if (!s) this.stages.set(stage, (s = emptyStageStats()));
    return s;
  }

  seen(stage: string, n = 1): void {
    this.for(stage).seen += n;
  }

  kept(stage: string, n = 1): void {
    this.for(stage).kept += n;
  }

  dropped(stage: string, reason: string, n = 1): void {
    const s = this.for(stage);
    s.dropped += n;
    s.droppedBy[reason] = (s.droppedBy[reason] ?? 0) + n;
  }

  count(stage: string, name: string, n = 1): void {
    const s = this.for(stage);
    (s.counters ??= {})[name] = (s.counters[name] ?? 0) + n;
  }

  addTime(stage: string, ms: number): void {
    this.for(stage).timeMs += ms;
  }

  addCpu(stage: string, ms: number): void {
    const s = this.for(stage);
    s.cpuMs = (s.cpuMs ?? 0) + ms;
  }

  toJSON(): Record<string, StageStats> {
    return Object.fromEntries(this.stages);
  }
}
