import type { Db } from '../../corpus/db.js';
import { UsageError } from '../../pipeline/errors.js';
import { enqueueRepos, getSearchWindow, recordSearchWindow } from './github-store.js';
import type { GitHubClient } from './client.js';
import { SEARCH_RESULT_CAP } from './search-windows.js';

export interface SearchCodeOptions {
  /** A code search query with a content marker, e.g. `"@triton.jit" language:python`. */
  query: string;
  job: string;
  /** Repositories to queue at most. @default unlimited */
  limit?: number;
  log?: (message: string) => void;
}

interface CodePage {
  total_count: number;
  items: Array<{ path: string; repository: { full_name: string } }>;
}

/** The window key recorded for a code search (it has no date or size windows). */
const CODE_WINDOW = 'code';

/**
 * Repositories whose files contain a content marker, via `GET /search/code`.
 * Code search cannot be cut by creation date or size (those qualifiers apply to
 * repositories, not files), so it reaches the first 1,000 matching files only;
 * the marker queries are a seed, and repository searches carry the volume.
 * Results are queued by repository (many files share one); the search is
 * recorded as done so a restart does not send it again.
 */
export async function searchCodeRepos(db: Db, client: GitHubClient, opts: SearchCodeOptions): Promise<{ queued: number; skipped: boolean }> {
  if (opts.query.includes('+')) throw new UsageError(`"+" in search query "${opts.query}" is sent as a space; leave it out`);
  if (getSearchWindow(db, `code:${opts.query}`, CODE_WINDOW)) return { queued: 0, skipped: true };
  const limit = opts.limit ?? Infinity;
  let queued = 0;
  let total = 0;
  for (let page = 1; queued < limit; page++) {
    const res = await client.get('GET /search/code', { q: opts.query, per_page: 100, page });
    const data = res.data as CodePage;
    total = data.total_count;
    const repos = [...new Set(data.items.map((it) => it.repository.full_name))].slice(0, Math.max(0, limit - queued));
    queued += enqueueRepos(db, opts.job, repos.map((repo) => ({ repo, meta: undefined })));
    if (!/rel="next"/.test(String(res.headers.link ?? '')) || page * 100 >= SEARCH_RESULT_CAP) break;
  }
  if (total > SEARCH_RESULT_CAP) opts.log?.(`code search "${opts.query}" matches ${total} files; only the first ${SEARCH_RESULT_CAP} are reachable`);
  recordSearchWindow(db, `code:${opts.query}`, CODE_WINDOW, total, total > SEARCH_RESULT_CAP ? 'truncated' : 'done');
  return { queued, skipped: false };
}
