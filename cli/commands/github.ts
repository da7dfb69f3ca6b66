import { withCorpus } from '../with-corpus.js';
import { resolveDbPath } from '../../corpus/db.js';
import { resolveQueue } from '../queue-options.js';
import { InputError } from '../../pipeline/errors.js';
import { crawlGithub, type CrawlGithubOptions, type CrawlGithubResult } from '../../crawlers/github/crawl-github.js';
import { parseLangFilter } from '../../crawlers/github/keep-path.js';
import { createTerminalProgress } from '../progress.js';

export interface GithubCommandOpts {
  db?: string;
  repo?: string[];
  query?: string;
  codeQuery?: string;
  limit?: number;
  refresh?: boolean;
  apiUrl: string;
  langs: string;
  maxFileSize: number;
  maxArchiveSize: number;
  searchInterval: number;
  retryUnit: number;
  json?: boolean;
  queue?: string;
  store?: string;
  requestInterval?: number;
}

/** `incorpus crawl github`: the token comes from GITHUB_TOKEN only, so it never sits in shell history. */
export async function crawlGithubCommand(opts: GithubCommandOpts): Promise<void> {
  const crawlOpts: CrawlGithubOptions = {
    ...(opts.repo ? { repos: opts.repo } : {}),
    ...(opts.query !== undefined ? { query: opts.query } : {}),
    ...(opts.codeQuery !== undefined ? { codeQuery: opts.codeQuery } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    refresh: opts.refresh ?? false,
    apiUrl: opts.apiUrl,
    langs: parseLangFilter(opts.langs),
    maxFileBytes: opts.maxFileSize,
    maxArchiveBytes: opts.maxArchiveSize,
    searchIntervalMs: opts.searchInterval,
    retryAfterBaseMs: opts.retryUnit,
    log: (m) => process.stderr.write(`incorpus: ${m}\n`),
    progress: createTerminalProgress('github'),
  };
  const queue = resolveQueue(opts);
  const result = queue
    ? await (await import('../../queue/queued-github.js')).queuedCrawlGithub(resolveDbPath(opts.db), crawlOpts, {
      ...queue, langs: opts.langs, ...(opts.requestInterval !== undefined ? { requestIntervalMs: opts.requestInterval } : {}),
    })
    : await withCorpus(opts.db, { readonly: false }, (db) => crawlGithub(db, crawlOpts));
  process.stdout.write(opts.json ? `${JSON.stringify(summarize(result))}\n` : formatResult(result));
  if (result.byStatus.failed > 0) {
    throw new InputError(`${result.byStatus.failed} repositories failed (listed above); run the same command again to retry them`);
  }
}

function summarize(r: CrawlGithubResult) {
  return {
    job: r.job, search: r.search, repos: r.byStatus, files: r.files, requests: r.requests,
    failed: r.outcomes.filter((o) => o.status === 'failed' || o.status === 'rejected'),
  };
}

function formatResult(r: CrawlGithubResult): string {
  const lines: string[] = [];
  if (r.search) {
    const s = r.search;
    lines.push(`search: ${s.queued} repositories queued; windows ${s.windowsDone} done, ${s.windowsSplit} split, ${s.windowsSkipped} skipped (done before), ${s.windowsTruncated} truncated`);
  }
  const b = r.byStatus;
  lines.push(`repositories: ${b.ingested} ingested, ${b.unchanged} unchanged, ${b.rejected} rejected, ${b.failed} failed`);
  lines.push(`files: ${r.files.seen} seen, ${r.files.added} added, ${r.files.changed} changed, ${r.files.removed} removed`);
  const q = r.requests;
  lines.push(`API requests: ${q.sent} sent, ${q.notModified} not modified (304), ${q.rateLimitWaits} rate-limit waits, ${q.failed} failed`);
  for (const o of r.outcomes) if (o.status === 'failed' || o.status === 'rejected') lines.push(`  ${o.status} ${o.repo}: ${o.reason}`);
  return `${lines.join('\n')}\n`;
}
