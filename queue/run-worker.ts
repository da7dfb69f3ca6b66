import { availableParallelism } from 'node:os';
import type { Job } from 'bullmq';
import { CRAWL_KIND, runCrawlJob } from './crawl-job.js';
import { GITHUB_KIND, runGithubJob } from './github-job.js';
import { EXPORT_PART_KIND, EXPORT_SHARD_KIND, runExportPartJob, runExportShardJob } from './export-jobs.js';
import type { JobData, JobSummary } from './job-types.js';
import { LITERATURE_KIND, runLiteratureJob } from './literature-job.js';
import { NEAR_DEDUP_BANDS_KIND, runNearDedupBandsJob } from './near-dedup-bands-job.js';
import { connectRedis, QUEUE_NAME, type QueueConnection } from './queue-url.js';
import { closeShardPools, REBUILD_KIND, runRebuildShardJob } from './rebuild-shard-job.js';
import { DEFAULT_STALL_SETTINGS, type StallSettings } from './stall-settings.js';
import { openJobStore } from './store-dir.js';

export interface WorkerOptions {
  connection: QueueConnection;
  /** Jobs at once in this process. @default 1 */
  concurrency?: number;
  /** Worker threads per rebuild shard for the analyze stage. @default one per core / concurrency */
  threads?: number;
  /** @default DEFAULT_STALL_SETTINGS */
  stall?: Partial<StallSettings>;
  /** Called after each job (for the worker's log line). */
  onJob?(summary: JobSummary): void;
  onError?(message: string): void;
}

/** Runs one job: at once when its output is already published (a repeated job), else the job's kind. */
export async function processJob(data: JobData, id: string, threads: number, connection: QueueConnection): Promise<JobSummary> {
  const store = openJobStore(data.store);
  const kind = STORE_KIND[data.kind];
  if (store.isDone(kind, id)) return { id, kind: data.kind, items: 0, ms: 0, reused: true };
  switch (data.kind) {
    case 'crawl': return runCrawlJob(data, store, id);
    case 'rebuild-shard': return runRebuildShardJob(data, store, id, threads);
    case 'export-part': return runExportPartJob(data, store, id, threads);
    case 'export-shard': return runExportShardJob(data, store, id);
    case 'github': return runGithubJob(data, store, id, connection);
    case 'literature': return runLiteratureJob(data, store, id, connection);
    case 'near-dedup-bands': return runNearDedupBandsJob(data, store, id);
  }
}

/** The store folder of each job kind. */
const STORE_KIND: Record<JobData['kind'], string> = {
  crawl: CRAWL_KIND,
  'rebuild-shard': REBUILD_KIND,
  'export-part': EXPORT_PART_KIND,
  'export-shard': EXPORT_SHARD_KIND,
  github: GITHUB_KIND,
  literature: LITERATURE_KIND,
  'near-dedup-bands': NEAR_DEDUP_BANDS_KIND,
};

/**
 * `incorpus worker`: takes jobs from the queue until stopped. SIGTERM/SIGINT
 * close the worker gracefully (BullMQ waits for the active jobs to finish; a
 * second signal leaves at once and their locks expire, so they run again
 * elsewhere). Resolves when the worker has closed.
 */
export async function runWorker(opts: WorkerOptions): Promise<void> {
  const { Worker } = await import('bullmq');
  const concurrency = opts.concurrency ?? 1;
  const threads = opts.threads ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
  const stall = { ...DEFAULT_STALL_SETTINGS, ...opts.stall };
  const client = await connectRedis(opts.connection);
  const worker = new Worker<JobData, JobSummary>(QUEUE_NAME, async (job: Job<JobData, JobSummary>) => {
    const summary = await processJob(job.data, job.id!, threads, opts.connection);
    opts.onJob?.(summary);
    return summary;
  }, { connection: client, concurrency, ...stall, autorun: true });
  // Redis down: ioredis retries for ever and BullMQ reports every attempt; say it once per outage.
  let lastError = '';
  worker.on('error', (err) => {
    if (err.message !== lastError) opts.onError?.(`queue: ${err.message}`);
    lastError = err.message;
  });
  worker.on('completed', () => (lastError = ''));
  worker.on('failed', (job, err) => opts.onError?.(`job ${job?.id ?? '?'} failed: ${err.message}`));
  // A job whose lock lapsed (its worker's event loop starved past lockDuration, or the worker died) runs
  // again elsewhere: say so, so a slow multi-worker run can be told apart from a slow pipeline.
  worker.on('stalled', (jobId) => opts.onError?.(`job ${jobId} stalled: its lock lapsed, it runs again`));
  worker.on('lockRenewalFailed', (jobIds) => opts.onError?.(`lock renewal failed for ${jobIds.join(', ')}`));
  let stopping = false;
  const closed = new Promise<void>((resolveClosed) => {
    const stop = (): void => {
      if (stopping) process.exit(130);
      stopping = true;
      void worker.close().then(resolveClosed, resolveClosed);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await worker.waitUntilReady();
  await closed;
  await closeShardPools();
  client.disconnect();
}
