import { performance } from 'node:perf_hooks';
import { openCorpus, type Db } from '../corpus/db.js';
import { beginCrawl, createRepoSnapshotWriter, finishCrawl, upsertRepo, type CrawlCounts } from '../corpus/raw-store.js';
import { createGitHubClient } from '../crawlers/github/client.js';
import { githubLimits } from '../crawlers/github/crawl-github.js';
import { finishQueued } from '../crawlers/github/github-store.js';
import { finishGithubRepo, prepareGithubRepo, type RepoOutcome } from '../crawlers/github/ingest-repo.js';
import { parseLangFilter } from '../crawlers/github/keep-path.js';
import type { ApiRepo } from '../crawlers/github/repo-metadata.js';
import { redactUrl } from '../crawlers/crawl-git.js';
import { makeSelfContained, readCrawlShard } from './crawl-shard-store.js';
import { applyGithubShardState, readGithubShardState, seedGithubShard, shardHasRepo } from './github-shard-store.js';
import { makeJobId } from './job-id.js';
import type { GithubJobData, JobSummary } from './job-types.js';
import type { QueueConnection } from './queue-url.js';
import { createSharedLimiter } from './shared-limiter.js';
import type { JobStore } from './store-dir.js';

export const GITHUB_KIND = 'github';

/**
 * A repository job's id: the corpus, the API, the repository, the filters,
 * and the corpus's state for it (ETags and last ingest are read at run time):
 * `run` — one crawl command — so the same repository crawled again by a later
 * command is a new job, as an in-process crawl re-checks it.
 */
export function githubJobId(d: GithubJobData, run: string): string {
  return makeJobId(GITHUB_KIND, [run, d.dbPath, d.apiUrl, d.repo, d.langs, d.maxFileBytes, d.maxArchiveBytes]);
}

/**
 * Worker side: the in-process crawler's two halves (API, then archive into
 * the store) for one repository, against a fresh shard seeded with the
 * corpus's ETags and last ingest of that repository, every API request
 * through the limiter all workers share. The token is the worker's own
 * GITHUB_TOKEN; it is never in a job (Redis) nor in a shard.
 */
export async function runGithubJob(d: GithubJobData, store: JobStore, id: string, connection: QueueConnection): Promise<JobSummary> {
  const started = performance.now();
  const temp = store.tempPath(GITHUB_KIND, id);
  const shard = openCorpus(temp);
  const limiter = await createSharedLimiter(connection, d.limiter.id, d.limiter.minTimeMs, d.limiter.maxConcurrent);
  let outcome: RepoOutcome;
  let requests = 0;
  try {
    seedGithubShard(shard, d.dbPath, d.repo);
    const client = await createGitHubClient(shard, { apiUrl: d.apiUrl, retryAfterBaseMs: d.retryAfterBaseMs, requestLimiter: limiter });
    const { sourceId, crawlId } = beginCrawl(shard, { kind: 'github', uri: redactUrl(d.apiUrl) });
    const ctx = { db: shard, client, sourceId, crawlId, retryDelayMs: d.retryAfterBaseMs, limits: githubLimits({ maxFileBytes: d.maxFileBytes, maxArchiveBytes: d.maxArchiveBytes, langs: parseLangFilter(d.langs) }) };
    outcome = await finishGithubRepo(ctx, await prepareGithubRepo(ctx, d.repo, (d.meta as ApiRepo | null) ?? null));
    finishCrawl(shard, crawlId, outcome.status === 'failed' ? 'failed' : 'complete', outcome.status === 'ingested' ? outcome.counts : emptyCounts());
    requests = client.stats.sent;
    makeSelfContained(shard);
  } finally {
    shard.close();
    await limiter.close();
  }
  const summary: JobSummary = { id, kind: 'github', items: outcome.status === 'ingested' ? outcome.counts.seen : 0, ms: Math.round(performance.now() - started), outcome, requests };
  store.publish(GITHUB_KIND, id, temp, summary);
  return summary;
}

export function emptyCounts(): CrawlCounts {
  return { seen: 0, added: 0, changed: 0, unchanged: 0, removed: 0, byStatus: {} };
}

/**
 * Coordinator side, in queue order: what the job stored, applied to the
 * corpus as the in-process crawler would have stored it — the repository row
 * and its GitHub facts, the files replayed through the same snapshot writer
 * (so ids, blobs, retirements and counts are the in-process ones), the ingest
 * state, the ETags — and the queue item finished. One transaction.
 */
export function mergeGithubShard(db: Db, shardPath: string, job: string, queued: string, sourceId: number, crawlId: number, workerOutcome: RepoOutcome): RepoOutcome {
  const shard = openCorpus(shardPath, { readonly: true });
  try {
    const hasRepo = shardHasRepo(shard);
    return db.transaction((): RepoOutcome => {
      let outcome = workerOutcome;
      let name: string | null = null;
      if (hasRepo) {
        const { repo, files } = readCrawlShard(shard);
        name = repo.name;
        const repoId = upsertRepo(db, sourceId, repo);
        if (workerOutcome.status === 'ingested') {
          const writer = createRepoSnapshotWriter(db, crawlId, repoId, repo.name);
          for (const f of files) writer.add(f);
          outcome = { ...workerOutcome, counts: writer.finish() };
        }
      }
      applyGithubShardState(db, name, readGithubShardState(shard, name));
      finishQueued(db, job, queued, outcome.status === 'failed' ? 'failed' : 'done', outcome.status === 'failed' ? outcome.reason : null);
      return outcome;
    })();
  } finally {
    shard.close();
  }
}
