import { resolve } from 'node:path';
import { openCorpus } from '../corpus/db.js';
import type { IngestResult } from '../crawlers/ingest-tree.js';
import type { Progress } from '../pipeline/progress.js';
import { runJobs, type PlannedJob } from './coordinator.js';
import { CRAWL_KIND, crawlJobId, mergeCrawlShard } from './crawl-job.js';
import type { CrawlJobData } from './job-types.js';
import type { QueueConnection } from './queue-url.js';
import { openJobStore } from './store-dir.js';

export interface QueuedCrawlOptions {
  connection: QueueConnection;
  /** The job output store (a directory every worker sees). */
  store: string;
  progress?: Progress;
}

/** One crawl input as the command got it: `crawl dir PATH` or `crawl git URL`. */
export type CrawlTarget = Omit<CrawlJobData, 'kind' | 'store'>;

/**
 * `crawl dir|git … --queue`: one job per repository; workers crawl each into
 * a shard; the shards are replayed into the corpus in input order, so the
 * corpus is the one `crawl` of the same inputs one after the other writes.
 */
export async function queuedCrawl(dbPath: string, targets: readonly CrawlTarget[], opts: QueuedCrawlOptions): Promise<IngestResult[]> {
  const store = openJobStore(opts.store);
  const jobs: PlannedJob[] = targets.map((t) => {
    const data: CrawlJobData = { kind: 'crawl', store: store.root, ...t, ...(t.source === 'dir' ? { target: resolve(t.target) } : {}) };
    return { id: crawlJobId(data), kind: CRAWL_KIND, data, label: t.target };
  });
  await runJobs(jobs, { connection: opts.connection, store, ...(opts.progress ? { progress: opts.progress } : {}) });
  const db = openCorpus(dbPath);
  try {
    return jobs.map((j) => mergeCrawlShard(db, store.shardPath(CRAWL_KIND, j.id)));
  } finally {
    db.close();
  }
}
