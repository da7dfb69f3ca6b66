import type { Db } from '../../corpus/db.js';
import { UsageError } from '../../pipeline/errors.js';
import { enqueueRepos, getSearchWindow, recordSearchWindow } from './github-store.js';
import type { GitHubClient } from './client.js';
import { slimRepo, type ApiRepo } from './repo-metadata.js';
import {
  fullWindow, hasWindowQualifier, SEARCH_RESULT_CAP, splitWindow, windowQualifiers, windowQuery, type SearchWindow,
} from './search-windows.js';

export interface SearchReposOptions {
  /** A GitHub repository search query, e.g. `language:verilog stars:>5`. */
  query: string;
  /** Queue name the found repositories go to. */
  job: string;
  /** Results per page (GitHub's maximum is 100). @default 100 */
  perPage?: number;
  /** Stop after this many repositories were queued (a sample, for recall's broad queries). @default unlimited */
  limit?: number;
  /** Called for each window fetched (for progress). */
  onWindow?: (qualifiers: string, total: number) => void;
  log?: (message: string) => void;
}

export interface SearchResult {
  /** Repositories newly queued by this run. */
  queued: number;
  windowsDone: number;
  windowsSkipped: number;
  windowsSplit: number;
  /** Windows that still had more than 1,000 results at one day and one size (first 1,000 taken). */
  windowsTruncated: number;
}

interface SearchPage {
  total_count: number;
  incomplete_results: boolean;
  items: ApiRepo[];
}

/**
 * Runs a repository search past the 1,000-result cap by recursive windows and
 * queues every repository found. Windows finished in an earlier run are skipped;
 * windows that were split keep their total, so a restart re-sends nothing for them.
 */
export async function searchRepos(db: Db, client: GitHubClient, opts: SearchReposOptions): Promise<SearchResult> {
  if (hasWindowQualifier(opts.query)) {
    throw new UsageError(`query "${opts.query}" already has a created: or size: qualifier; incorpus adds its own to get past the 1,000-result cap`);
  }
  if (opts.query.includes('+')) {
    // Octokit (like GitHub's own URLs) sends "+" in q as a space: `language:c++` would search for C.
    throw new UsageError(`"+" in search query "${opts.query}" is sent as a space; write language:cpp instead of language:c++`);
  }
  const res: SearchResult = { queued: 0, windowsDone: 0, windowsSkipped: 0, windowsSplit: 0, windowsTruncated: 0 };
  const perPage = opts.perPage ?? 100;
  const limit = opts.limit ?? Infinity;
  // Depth-first with an explicit stack, oldest window first, so runs are deterministic.
  const stack: SearchWindow[] = [fullWindow()];
  while (stack.length > 0 && res.queued < limit) {
    const w = stack.pop()!;
    const key = windowQualifiers(w);
    const known = getSearchWindow(db, opts.query, key);
    if (known && known.status !== 'split') {
      res.windowsSkipped++;
      continue;
    }
    const halves = splitWindow(w);
    if (known?.status === 'split' && halves) {
      stack.push(halves[1], halves[0]);
      continue;
    }
    const first = await fetchPage(client, windowQuery(opts.query, w), 1, perPage);
    opts.onWindow?.(key, first.total_count);
    if (first.total_count > SEARCH_RESULT_CAP && halves) {
      recordSearchWindow(db, opts.query, key, first.total_count, 'split');
      res.windowsSplit++;
      stack.push(halves[1], halves[0]);
      continue;
    }
    const drained = await drainWindow(db, client, opts, w, first, perPage, limit - res.queued);
    res.queued += drained.queued;
    // Cut short by --limit, or GitHub said its results were incomplete (a search timeout): search it again next run.
    if (!drained.complete) continue;
    const truncated = first.total_count > SEARCH_RESULT_CAP;
    if (truncated) {
      res.windowsTruncated++;
      opts.log?.(`search window ${key} has ${first.total_count} results at one day and one size; only the first ${SEARCH_RESULT_CAP} are reachable`);
    }
    recordSearchWindow(db, opts.query, key, first.total_count, truncated ? 'truncated' : 'done');
    res.windowsDone++;
  }
  return res;
}

/** Queues the first page's items and follows `rel="next"` to the end of the window. */
async function drainWindow(
  db: Db, client: GitHubClient, opts: SearchReposOptions, w: SearchWindow, first: SearchPage & { hasNext: boolean }, perPage: number, room: number,
): Promise<{ queued: number; complete: boolean }> {
  let queued = 0;
  let page: SearchPage & { hasNext: boolean } = first;
  let complete = !first.incomplete_results;
  for (let n = 2; ; n++) {
    const take = page.items.slice(0, Math.max(0, room - queued));
    queued += enqueueRepos(db, opts.job, take.map((it) => ({ repo: it.full_name, meta: slimRepo(it) })));
    if (take.length < page.items.length) return { queued, complete: false };
    if (!page.hasNext) return { queued, complete };
    if (queued >= room) return { queued, complete: false };
    page = await fetchPage(client, windowQuery(opts.query, w), n, perPage);
    complete &&= !page.incomplete_results;
  }
}

/** One page; `hasNext` comes from the Link header, as GitHub documents pagination. */
async function fetchPage(client: GitHubClient, q: string, page: number, perPage: number): Promise<SearchPage & { hasNext: boolean }> {
  const res = await client.get('GET /search/repositories', { q, per_page: perPage, page });
  return { ...(res.data as SearchPage), hasNext: /rel="next"/.test(String(res.headers.link ?? '')) };
}
