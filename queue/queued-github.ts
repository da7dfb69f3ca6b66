import { resolve } from 'node:path';
import { openCorpus, type Db } from '../corpus/db.js';
import { beginCrawl, finishCrawl, type CrawlCounts } from '../corpus/raw-store.js';
import { redactUrl } from '../crawlers/crawl-git.js';
import { DEFAULT_API_URL } from '../crawlers/github/client.js';
import { addCounts, DEFAULT_MAX_ARCHIVE_BYTES, planGithubCrawl, type CrawlGithubOptions, type CrawlGithubResult } from '../crawlers/github/crawl-github.js';
import type { RepoOutcome } from '../crawlers/github/ingest-repo.js';
import { DEFAULT_CRAWL_MAX_BYTES } from '../crawlers/ingest-tree.js';
import type { Progress } from '../pipeline/progress.js';
import { runJobs, type PlannedJob } from './coordinator.js';
import { emptyCounts, GITHUB_KIND, githubJobId, mergeGithubShard } from './github-job.js';
import type { GithubJobData, JobSummary } from './job-types.js';
import type { QueueConnection } from './queue-url.js';
import { createSharedLimiter } from './shared-limiter.js';
import { openJobStore } from './store-dir.js';

export interface QueuedGithubOptions {
  connection: QueueConnection;
  store: string;
  /** Spacing of API requests across every worker and the coordinator, ms. @default 100 (≤ 10/s, under GitHub's ~900 REST points a minute) */
  requestIntervalMs?: number;
  /** API requests in flight at once across all of them. @default 4 */
  maxConcurrent?: number;
  /** `--langs` as given (a job carries text, not a parsed filter). */
  langs: string;
  progress?: Progress;
}

/** The Redis key of the limiter: one per API host, so every command against one GitHub shares one budget. */
export function githubLimiterId(apiUrl: string): string {
  return `incorpus-github:${redactUrl(apiUrl)}`;
}

/**
 * `crawl github … --queue`: the search (or the named list) fills the queue on
 * the coordinator as in-process; then one job per repository. Workers crawl
 * each into a shard; the shards are merged in queue order, so the corpus gets
 * what the in-process crawl stores. Every API request — the coordinator's
 * search and every worker's — goes through one limiter in Redis.
 */
export async function queuedCrawlGithub(dbPath: string, opts: CrawlGithubOptions, q: QueuedGithubOptions): Promise<CrawlGithubResult> {
  const limiter = githubLimiterSettings(opts.apiUrl ?? DEFAULT_API_URL, q);
  const shared = await createSharedLimiter(q.connection, limiter.id, limiter.minTimeMs, limiter.maxConcurrent);
  const absDb = resolve(dbPath);
  const db = openCorpus(absDb);
  try {
    return await queuedCrawlGithubIn(db, absDb, { ...opts, requestLimiter: shared }, q);
  } finally {
    db.close();
    await shared.close();
  }
}

/** The shared limiter a queued GitHub command and its jobs use. */
export function githubLimiterSettings(apiUrl: string, q: Pick<QueuedGithubOptions, 'requestIntervalMs' | 'maxConcurrent'>): GithubJobData['limiter'] {
  return { id: githubLimiterId(apiUrl), minTimeMs: q.requestIntervalMs ?? 100, maxConcurrent: q.maxConcurrent ?? 4 };
}

/**
 * The queued crawl on an open corpus (`recall --queue` calls it for each of
 * its crawls). `opts.client` or `opts.requestLimiter` must already go
 * through the shared limiter: the coordinator's own requests share it.
 */
export async function queuedCrawlGithubIn(db: Db, absDb: string, opts: CrawlGithubOptions, q: QueuedGithubOptions): Promise<CrawlGithubResult> {
  const apiUrl = opts.apiUrl ?? DEFAULT_API_URL;
  const limiter = githubLimiterSettings(apiUrl, q);
  const store = openJobStore(q.store);
  const { client, job, search, todo } = await planGithubCrawl(db, opts);
  const { sourceId, crawlId } = beginCrawl(db, { kind: 'github', uri: redactUrl(apiUrl) });
  const run = `${absDb}#crawl-${crawlId}`;
  const jobs: PlannedJob[] = todo.map((it) => {
    const data: GithubJobData = {
      kind: 'github', store: store.root, dbPath: absDb, apiUrl, repo: it.repo, meta: it.meta ?? null, langs: q.langs,
      maxFileBytes: opts.maxFileBytes ?? DEFAULT_CRAWL_MAX_BYTES, maxArchiveBytes: opts.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
      retryAfterBaseMs: opts.retryAfterBaseMs ?? 1000, limiter,
    };
    return { id: githubJobId(data, run), kind: GITHUB_KIND, data, label: it.repo };
  });
  const outcomes: RepoOutcome[] = [];
  const files: CrawlCounts = emptyCounts();
  let sent = client.stats.sent;
  try {
    const progress = q.progress ?? opts.progress;
    await runJobs(jobs, { connection: q.connection, store, ...(progress ? { progress } : {}) });
    for (const [i, j] of jobs.entries()) {
      const summary = store.readSummary(GITHUB_KIND, j.id) as JobSummary;
      const outcome = mergeGithubShard(db, store.shardPath(GITHUB_KIND, j.id), job, todo[i]!.repo, sourceId, crawlId, summary.outcome as RepoOutcome);
      if (outcome.status === 'ingested') addCounts(files, outcome.counts);
      outcomes.push(outcome);
      sent += summary.requests ?? 0;
      opts.onRepo?.(outcome);
    }
  } finally {
    finishCrawl(db, crawlId, outcomes.length < jobs.length || outcomes.some((o) => o.status === 'failed') ? 'failed' : 'complete', files);
  }
  const byStatus = { ingested: 0, unchanged: 0, rejected: 0, failed: 0 };
  for (const o of outcomes) byStatus[o.status]++;
  // Requests: the coordinator's own counters plus what each job reported sending.
  return { job, search, outcomes, byStatus, files, requests: { ...client.stats, sent } };
}
