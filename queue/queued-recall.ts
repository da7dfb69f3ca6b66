import { resolve } from 'node:path';
import type { Db } from '../corpus/db.js';
import { DEFAULT_API_URL } from '../crawlers/github/client.js';
import { runRecall, type RecallOptions, type RecallReport } from '../crawlers/recall/run-recall.js';
import { githubLimiterSettings, queuedCrawlGithubIn, type QueuedGithubOptions } from './queued-github.js';
import { createSharedLimiter } from './shared-limiter.js';

/**
 * `recall --queue`: the three steps run here as in-process — searches, owner
 * listings, classifier, decisions — but every crawl a step starts goes
 * through the queue (one `github-<hash>` job per repository, merged in queue
 * order, as `crawl github --queue`), and every API request, the recall's own
 * searches and listings and every worker's, goes through the one shared
 * limiter in Redis. What the steps decide only reads what the merged crawls
 * stored, so the corpus ends as the in-process recall leaves it.
 */
export async function queuedRecall(db: Db, dbPath: string, opts: RecallOptions, q: QueuedGithubOptions): Promise<RecallReport> {
  const limiter = githubLimiterSettings(opts.apiUrl ?? DEFAULT_API_URL, q);
  const shared = await createSharedLimiter(q.connection, limiter.id, limiter.minTimeMs, limiter.maxConcurrent);
  const absDb = resolve(dbPath);
  let workerRequests = 0;
  try {
    const report = await runRecall(db, {
      ...opts,
      requestLimiter: shared,
      crawlGithub: async (d, o) => {
        const r = await queuedCrawlGithubIn(d, absDb, o, q);
        // The result counts the coordinator's client (recall's, reported below) plus the jobs' requests.
        workerRequests += r.requests.sent - (o.client?.stats.sent ?? 0);
        return r;
      },
    });
    return { ...report, requests: { ...report.requests, sent: report.requests.sent + workerRequests } };
  } finally {
    await shared.close();
  }
}
