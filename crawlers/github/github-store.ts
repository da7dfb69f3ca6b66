import type { Db } from '../../corpus/db.js';

/**
 * The GitHub crawler's resumable state: ETags, search windows, the ingest queue
 * and what was last ingested per repository. Everything a restarted crawl needs to
 * skip work already done lives here; none of it holds a token.
 */

const now = (): string => new Date().toISOString();

export interface CachedResponse {
  etag: string;
  body: string;
  link: string | null;
}

export function getCachedResponse(db: Db, url: string): CachedResponse | null {
  return (db.prepare('SELECT etag, body, link FROM github_etags WHERE url = ?').get(url) as CachedResponse | undefined) ?? null;
}

export function putCachedResponse(db: Db, url: string, value: CachedResponse): void {
  db.prepare(
    `INSERT INTO github_etags (url, etag, body, link, fetched_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, body = excluded.body, link = excluded.link, fetched_at = excluded.fetched_at`,
  ).run(url, value.etag, value.body, value.link, now());
}

export type WindowStatus = 'split' | 'done' | 'truncated';

export function getSearchWindow(db: Db, query: string, win: string): { total: number; status: WindowStatus } | null {
  return (db.prepare('SELECT total, status FROM github_search_windows WHERE query = ? AND win = ?').get(query, win) as
    | { total: number; status: WindowStatus }
    | undefined) ?? null;
}

export function recordSearchWindow(db: Db, query: string, win: string, total: number, status: WindowStatus): void {
  db.prepare(
    `INSERT INTO github_search_windows (query, win, total, status, finished_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (query, win) DO UPDATE SET total = excluded.total, status = excluded.status, finished_at = excluded.finished_at`,
  ).run(query, win, total, status, now());
}

export function countSearchWindows(db: Db, query: string): Record<string, number> {
  const rows = db.prepare('SELECT status, count(*) AS n FROM github_search_windows WHERE query = ? GROUP BY status').all(query) as {
    status: string; n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Adds repositories to a job's queue; ones already queued (done or not) are left alone. */
export function enqueueRepos(db: Db, job: string, items: Array<{ repo: string; meta: unknown }>): number {
  const next = db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM github_queue WHERE job = ?').pluck();
  const insert = db.prepare('INSERT OR IGNORE INTO github_queue (job, repo, meta, seq) VALUES (?, ?, ?, ?)');
  return db.transaction(() => {
    let seq = next.get(job) as number;
    let added = 0;
    for (const it of items) {
      const n = insert.run(job, it.repo, it.meta === undefined ? null : JSON.stringify(it.meta), seq).changes;
      added += n;
      seq += n;
    }
    return added;
  })();
}

export interface QueueItem {
  repo: string;
  meta: unknown;
}

/** The job's repositories still to do (pending, or failed in an earlier run) in the order they were found. */
export function pendingRepos(db: Db, job: string): QueueItem[] {
  const rows = db.prepare("SELECT repo, meta FROM github_queue WHERE job = ? AND status <> 'done' ORDER BY seq").all(job) as {
    repo: string; meta: string | null;
  }[];
  return rows.map((r) => ({ repo: r.repo, meta: r.meta === null ? null : JSON.parse(r.meta) }));
}

export function finishQueued(db: Db, job: string, repo: string, status: 'done' | 'failed', reason: string | null = null): void {
  db.prepare('UPDATE github_queue SET status = ?, reason = ? WHERE job = ? AND repo = ?').run(status, reason, job, repo);
}

/** Every repository a job ever queued, with its search item, whatever its status. */
export function jobRepos(db: Db, job: string): QueueItem[] {
  const rows = db.prepare('SELECT repo, meta FROM github_queue WHERE job = ? ORDER BY seq').all(job) as { repo: string; meta: string | null }[];
  return rows.map((r) => ({ repo: r.repo, meta: r.meta === null ? null : JSON.parse(r.meta) }));
}

/** Forgets a job's progress (`--refresh`): windows are searched again, repositories re-checked. */
export function resetJob(db: Db, job: string, query: string | null): void {
  db.transaction(() => {
    db.prepare("UPDATE github_queue SET status = 'pending', reason = NULL WHERE job = ?").run(job);
    if (query !== null) db.prepare('DELETE FROM github_search_windows WHERE query = ?').run(query);
  })();
}

export function countQueue(db: Db, job: string): Record<string, number> {
  const rows = db.prepare('SELECT status, count(*) AS n FROM github_queue WHERE job = ? GROUP BY status').all(job) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export interface RepoIngestState {
  commitSha: string | null;
  status: 'done' | 'rejected' | 'failed';
  reason: string | null;
}

export function getRepoIngestState(db: Db, repo: string): RepoIngestState | null {
  const row = db.prepare('SELECT commit_sha AS commitSha, status, reason FROM github_repo_state WHERE repo = ?').get(repo) as
    | RepoIngestState
    | undefined;
  return row ?? null;
}

export function setRepoIngestState(db: Db, repo: string, s: RepoIngestState & { skipped?: unknown[] }): void {
  db.prepare(
    `INSERT INTO github_repo_state (repo, commit_sha, status, reason, skipped, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (repo) DO UPDATE SET commit_sha = excluded.commit_sha, status = excluded.status, reason = excluded.reason,
       skipped = excluded.skipped, updated_at = excluded.updated_at`,
  ).run(repo, s.commitSha, s.status, s.reason, s.skipped ? JSON.stringify(s.skipped) : null, now());
}

export function getRepoSkipped(db: Db, repo: string): Array<{ path: string; reason: string }> {
  const v = db.prepare('SELECT skipped FROM github_repo_state WHERE repo = ?').pluck().get(repo) as string | null | undefined;
  return v ? JSON.parse(v) : [];
}

/** GitHub facts the foundation's upsertRepo does not carry (the columns exist since 0001). */
export interface RepoGithubFacts {
  topics: string[];
  archived: boolean;
  pushedAt: string | null;
  defaultBranch: string | null;
}

export function setRepoGithubFacts(db: Db, repo: string, f: RepoGithubFacts): void {
  db.prepare('UPDATE repos SET topics = ?, archived = ?, pushed_at = ?, default_branch = ? WHERE name = ?').run(
    JSON.stringify(f.topics), f.archived ? 1 : 0, f.pushedAt, f.defaultBranch, repo,
  );
}
