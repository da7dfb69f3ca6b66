import { setTimeout as sleep } from 'node:timers/promises';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { CorpusError } from '../pipeline/errors.js';
import type { JobData } from './job-types.js';
import { connectRedis, QUEUE_NAME, type QueueConnection } from './queue-url.js';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS } from './stall-settings.js';
import type { JobStore } from './store-dir.js';

/** One unit of work as the coordinator plans it. */
export interface PlannedJob {
  id: string;
  /** The store folder its output goes to (crawl, rebuild). */
  kind: string;
  data: JobData;
  /** Shown on the progress line. */
  label: string;
}

export interface RunJobsOptions {
  connection: QueueConnection;
  store: JobStore;
  progress?: Progress;
  /** How often the store's markers are checked, ms. @default 200 */
  pollMs?: number;
}

/**
 * Enqueues the planned jobs (skipping those already published in the store)
 * and waits until every one has its completion marker. Completion is read
 * from the store, never from Redis: a Redis restart, a repeated job or a
 * worker that died after publishing cannot make a job count twice or never.
 * A job that failed for good (attempts exhausted) stops the command with its reason.
 */
export async function runJobs(jobs: readonly PlannedJob[], opts: RunJobsOptions): Promise<void> {
  const progress = opts.progress ?? silentProgress;
  const pending = new Map(jobs.filter((j) => !opts.store.isDone(j.kind, j.id)).map((j) => [j.id, j]));
  progress.total(jobs.length);
  progress.tick(jobs.length - pending.size);
  if (pending.size === 0) return progress.done();
  const { Queue } = await import('bullmq');
  const client = await connectRedis(opts.connection);
  const queue = new Queue<JobData>(QUEUE_NAME, { connection: client });
  try {
    for (const j of pending.values()) {
      // A job left failed by an earlier run would block its id: clear it so this run retries it.
      const old = await queue.getJob(j.id);
      if (old && (await old.getState()) === 'failed') await old.remove();
    }
    await enqueue(queue, [...pending.values()]);
    let lastFailureCheck = 0;
    while (pending.size > 0) {
      for (const j of [...pending.values()]) {
        if (!opts.store.isDone(j.kind, j.id)) continue;
        pending.delete(j.id);
        progress.tick(1, j.label);
      }
      if (pending.size > 0 && Date.now() - lastFailureCheck > 2000) {
        lastFailureCheck = Date.now();
        await throwOnFailed(queue, pending);
        // Nothing queued or running but work left: Redis lost the jobs (restarted without its
        // append-only file, or flushed). Enqueue them again; ids make this harmless.
        if (await countLive(queue) === 0) await enqueue(queue, [...pending.values()]);
      }
      if (pending.size > 0) await sleep(opts.pollMs ?? 200);
    }
  } finally {
    progress.done();
    await queue.close();
    client.disconnect();
  }
}

function enqueue(queue: import('bullmq').Queue<JobData>, jobs: readonly PlannedJob[]): Promise<unknown> {
  return queue.addBulk(jobs.map((j) => ({
    name: j.data.kind,
    data: j.data,
    opts: { jobId: j.id, attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: JOB_BACKOFF_MS }, removeOnComplete: true, removeOnFail: false },
  })));
}

async function countLive(queue: import('bullmq').Queue<JobData>): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

async function throwOnFailed(queue: import('bullmq').Queue<JobData>, pending: ReadonlyMap<string, PlannedJob>): Promise<void> {
  const failed = await queue.getFailed(0, 999);
  const ours = failed.find((f) => f.id !== undefined && pending.has(f.id));
  if (ours) throw new CorpusError(`queue job ${ours.id} (${pending.get(ours.id!)!.label}) failed after ${ours.attemptsMade} attempt(s): ${ours.failedReason}`);
}
