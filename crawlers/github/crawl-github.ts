import type { Db } from '../../corpus/db.js';
import { UsageError } from '../../pipeline/errors.js';
import { enqueueRepos, finishQueued, pendingRepos, resetJob, type QueueItem } from './github-store.js';
import { beginCrawl, finishCrawl, type CrawlCounts } from '../../corpus/raw-store.js';
import { silentProgress, type Progress } from '../../pipeline/progress.js';
import { redactUrl } from '../crawl-git.js';
import { DEFAULT_CRAWL_MAX_BYTES } from '../ingest-tree.js';
import { createGitHubClient, DEFAULT_API_URL, type GitHubClient, type GitHubClientOptions, type RequestStats } from './client.js';
import { finishGithubRepo, prepareGithubRepo, type PreparedRepo, type RepoOutcome } from './ingest-repo.js';
import { createPathFilter, type LangFilter } from './keep-path.js';
import { parseRepoSlug, type ApiRepo } from './repo-metadata.js';
import { searchCodeRepos } from './search-code.js';
import { searchRepos, type SearchResult } from './search-repos.js';

/** Decompressed bytes per archive before it counts as a gzip bomb. @default 2 GiB */
export const DEFAULT_MAX_ARCHIVE_BYTES = 2 * 1024 ** 3;
/** Entries per archive before it is rejected. @default 200000 */
export const DEFAULT_MAX_ENTRIES = 200_000;

export interface CrawlGithubOptions extends GitHubClientOptions {
  /** Repositories as owner/name. */
  repos?: string[];
  /** A repository search query, sliced past the 1,000-result cap. */
  query?: string;
  /** A code search query with a content marker (`"@triton.jit" language:python`); first 1,000 files. */
  codeQuery?: string;
  /** Repositories to take from the query at most. @default unlimited */
  limit?: number;
  /** Forget this job's progress and check everything again. @default false */
  refresh?: boolean;
  /** Entries read from archives, by path. @default 'known' */
  langs?: LangFilter;
  /** @default DEFAULT_CRAWL_MAX_BYTES */
  maxFileBytes?: number;
  /** @default DEFAULT_MAX_ARCHIVE_BYTES */
  maxArchiveBytes?: number;
  /** @default DEFAULT_MAX_ENTRIES */
  maxEntries?: number;
  /** Repositories whose API requests run ahead of the one being stored. @default 4 */
  lookahead?: number;
  /** Search items (or owner-listing items) already known for some of `repos`; saves a request each. */
  repoMeta?: ReadonlyMap<string, ApiRepo>;
  /** Queue name instead of one derived from the arguments (recall names its rounds). */
  job?: string;
  /** An already-built client (recall reuses one across steps). */
  client?: GitHubClient;
  progress?: Progress;
  /** Called after each repository (recall scores it right away). */
  onRepo?: (outcome: RepoOutcome) => void;
}

export interface CrawlGithubResult {
  job: string;
  search: SearchResult | null;
  outcomes: RepoOutcome[];
  byStatus: Record<RepoOutcome['status'], number>;
  files: CrawlCounts;
  requests: RequestStats;
}

/** The queue a crawl works through; a query's name survives restarts, so a rerun resumes it. */
export function jobName(opts: Pick<CrawlGithubOptions, 'repos' | 'query' | 'codeQuery'>): string {
  if (opts.codeQuery !== undefined) return `code:${opts.codeQuery.trim()}`;
  return opts.query !== undefined ? `query:${opts.query.trim()}` : `repos:${[...(opts.repos ?? [])].sort().join(',')}`;
}

/** What a crawl works through once its queue is filled: the client, the queue name, the search summary and the repositories left. */
export interface GithubCrawlPlan {
  client: GitHubClient;
  job: string;
  search: SearchResult | null;
  todo: QueueItem[];
}

/** The first half of a crawl: validate, fill the queue (named repositories or a sliced search), list what is pending. */
export async function planGithubCrawl(db: Db, opts: CrawlGithubOptions): Promise<GithubCrawlPlan> {
  const sources = [opts.query !== undefined, opts.codeQuery !== undefined, (opts.repos?.length ?? 0) > 0].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('crawl github needs exactly one of --query, --code-query or --repo');
  const client = opts.client ?? (await createGitHubClient(db, opts));
  const job = opts.job ?? jobName(opts);
  // Named repositories are always re-checked (cheap: conditional requests); a query resumes.
  const searched = opts.query?.trim() ?? (opts.codeQuery !== undefined ? `code:${opts.codeQuery.trim()}` : null);
  if (opts.refresh || opts.repos) resetJob(db, job, opts.refresh ? searched : null);
  let search: SearchResult | null = null;
  if (opts.codeQuery !== undefined) {
    await searchCodeRepos(db, client, { query: opts.codeQuery.trim(), job, ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.log ? { log: opts.log } : {}) });
  } else if (opts.query !== undefined) {
    search = await searchRepos(db, client, {
      query: opts.query.trim(), job, ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.log ? { log: opts.log } : {}),
    });
  } else {
    enqueueRepos(db, job, opts.repos!.map((r) => {
      const { owner, repo } = parseRepoSlug(r);
      return { repo: `${owner}/${repo}`, meta: opts.repoMeta?.get(r) };
    }));
  }
  return { client, job, search, todo: pendingRepos(db, job) };
}

/** Archive limits as a crawl resolves them. */
export function githubLimits(opts: Pick<CrawlGithubOptions, 'maxFileBytes' | 'maxArchiveBytes' | 'maxEntries' | 'langs'>) {
  return {
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_CRAWL_MAX_BYTES,
    maxArchiveBytes: opts.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    maxEntries: opts.maxEntries ?? DEFAULT_MAX_ENTRIES,
    keep: createPathFilter(opts.langs ?? 'known'),
  };
}

/**
 * `incorpus crawl github`: queue repositories (named, or found by a sliced
 * search), then ingest each one. Progress is in the database after every
 * repository, so a killed crawl, run again, continues where it stopped.
 */
export async function crawlGithub(db: Db, opts: CrawlGithubOptions): Promise<CrawlGithubResult> {
  const { client, job, search, todo } = await planGithubCrawl(db, opts);
  const progress = opts.progress ?? silentProgress;
  const { sourceId, crawlId } = beginCrawl(db, { kind: 'github', uri: redactUrl(opts.apiUrl ?? DEFAULT_API_URL) });
  const ctx = {
    db, client, sourceId, crawlId, retryDelayMs: opts.retryAfterBaseMs ?? 1000,
    limits: githubLimits(opts),
  };
  progress.total(todo.length);
  const outcomes: RepoOutcome[] = [];
  const files: CrawlCounts = { seen: 0, added: 0, changed: 0, unchanged: 0, removed: 0, byStatus: {} };
  // The API half of the next repositories runs while the current archive streams into the store.
  const ahead = Math.max(1, opts.lookahead ?? 4);
  const prepared: Array<Promise<PreparedRepo>> = [];
  let next = 0;
  try {
    for (const item of todo) {
      while (prepared.length < ahead && next < todo.length) {
        const it = todo[next++]!;
        prepared.push(prepareGithubRepo(ctx, it.repo, (it.meta as ApiRepo | null) ?? null));
      }
      const outcome = await finishGithubRepo(ctx, await prepared.shift()!);
      finishQueued(db, job, item.repo, outcome.status === 'failed' ? 'failed' : 'done', outcome.status === 'failed' ? outcome.reason : null);
      if (outcome.status === 'ingested') addCounts(files, outcome.counts);
      outcomes.push(outcome);
      opts.onRepo?.(outcome);
      progress.tick(1, item.repo);
    }
  } finally {
    progress.done();
    finishCrawl(db, crawlId, outcomes.some((o) => o.status === 'failed') ? 'failed' : 'complete', files);
  }
  const byStatus = { ingested: 0, unchanged: 0, rejected: 0, failed: 0 };
  for (const o of outcomes) byStatus[o.status]++;
  return { job, search, outcomes, byStatus, files, requests: { ...client.stats } };
}

export function addCounts(into: CrawlCounts, c: CrawlCounts): void {
  into.seen += c.seen;
  into.added += c.added;
  into.changed += c.changed;
  into.unchanged += c.unchanged;
  into.removed += c.removed;
  for (const [k, n] of Object.entries(c.byStatus)) into.byStatus[k] = (into.byStatus[k] ?? 0) + n;
}
