import type { Db } from '../../corpus/db.js';
import { jobRepos } from '../github/github-store.js';
import { addCandidate, type RecallStep } from './recall-store.js';
import type { GitHubClient } from '../github/client.js';
import { crawlGithub, jobName, type CrawlGithubOptions, type CrawlGithubResult } from '../github/crawl-github.js';
import type { ApiRepo } from '../github/repo-metadata.js';
import type { NgramModel } from './ngram-classifier.js';
import type { RecallConfig } from './recall-config.js';

/** What every recall step shares: the database, one client, the config, the crawl limits. */
export interface RecallContext {
  db: Db;
  client: GitHubClient;
  config: RecallConfig;
  /** Limits passed to every crawl (file and archive caps, language filter). */
  crawl: Pick<CrawlGithubOptions, 'langs' | 'maxFileBytes' | 'maxArchiveBytes' | 'maxEntries' | 'retryAfterBaseMs' | 'apiUrl'>;
  model: NgramModel | null;
  log: (message: string) => void;
  /** How a step's repositories are crawled. @default crawlGithub (in-process); `recall --queue` passes the queued crawl */
  crawlGithub?: GithubCrawler;
}

/** `crawlGithub`'s shape: recall's ingestion, in-process or through the queue. */
export type GithubCrawler = (db: Db, opts: CrawlGithubOptions) => Promise<CrawlGithubResult>;

/** One step's (or round's) outcome; `accepted` is the whole accepted set after it, for P/R per step. */
export interface StepReport {
  step: RecallStep;
  round: number;
  queries: string[];
  candidates: number;
  newlyAccepted: number;
  rejected: number;
  accepted: string[];
}

/**
 * Runs a sliced search and ingests what it finds, then records every repository
 * the query ever queued as a candidate of `step` — from the queue, not from this
 * run's outcomes, so a resumed recall still sees the repositories a killed run
 * had already ingested.
 */
export async function crawlQueryCandidates(
  ctx: RecallContext, step: RecallStep, round: number, query: string, limit: number, kind: 'repos' | 'code' = 'repos',
): Promise<string[]> {
  const q = kind === 'code' ? { codeQuery: query } : { query };
  await (ctx.crawlGithub ?? crawlGithub)(ctx.db, { ...ctx.crawl, ...q, limit, client: ctx.client, ...(ctx.log ? { log: ctx.log } : {}) });
  const repos = jobRepos(ctx.db, jobName(q)).map((r) => r.repo);
  for (const repo of repos) addCandidate(ctx.db, { repo, step, round, origin: `${kind === 'code' ? 'code' : 'query'}:${query}` });
  return repos;
}

/** Ingests named repositories (expansion) as candidates of `step`, with their origins. */
export async function crawlNamedCandidates(
  ctx: RecallContext, step: RecallStep, round: number, origins: ReadonlyMap<string, string>, meta: ReadonlyMap<string, ApiRepo>,
): Promise<string[]> {
  const repos = [...origins.keys()];
  if (repos.length === 0) return [];
  for (const repo of repos) addCandidate(ctx.db, { repo, step, round, origin: origins.get(repo)! });
  await (ctx.crawlGithub ?? crawlGithub)(ctx.db, { ...ctx.crawl, repos, repoMeta: meta, job: `recall:${step}:${round}`, client: ctx.client, log: ctx.log });
  return repos;
}
