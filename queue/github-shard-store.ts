import Database from 'better-sqlite3';
import type { Db } from '../corpus/db.js';

/** The GitHub crawler's per-repository state a job reads and writes: ETags of its API URLs and its last ingest. */
export interface GithubShardState {
  etags: Array<{ url: string; etag: string; body: string; link: string | null; fetched_at: string }>;
  state: { repo: string; commit_sha: string | null; status: string; reason: string | null; skipped: string | null; updated_at: string } | null;
  facts: { topics: string | null; archived: number | null; pushed_at: string | null; default_branch: string | null } | null;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Copies what the corpus knows of one repository into a fresh shard corpus —
 * the ETags of its API URLs and its last ingest state — so the job's crawl
 * asks GitHub exactly the conditional requests an in-process crawl would
 * (a 304 is free) and recognizes an unchanged commit.
 */
export function seedGithubShard(shard: Db, corpusPath: string, slug: string): void {
  const corpus = new Database(corpusPath, { readonly: true, fileMustExist: true });
  try {
    corpus.pragma('busy_timeout = 10000');
    const pat = `%/repos/${likeEscape(slug)}`;
    const etags = corpus.prepare("SELECT url, etag, body, link, fetched_at FROM github_etags WHERE url LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\'").all(pat, `${pat}/%`);
    const state = corpus.prepare('SELECT repo, commit_sha, status, reason, skipped, updated_at FROM github_repo_state WHERE repo = ? COLLATE NOCASE').all(slug);
    shard.transaction(() => {
      const e = shard.prepare('INSERT OR REPLACE INTO github_etags (url, etag, body, link, fetched_at) VALUES (@url, @etag, @body, @link, @fetched_at)');
      for (const r of etags) e.run(r);
      const s = shard.prepare('INSERT OR REPLACE INTO github_repo_state (repo, commit_sha, status, reason, skipped, updated_at) VALUES (@repo, @commit_sha, @status, @reason, @skipped, @updated_at)');
      for (const r of state) s.run(r);
    })();
  } finally {
    corpus.close();
  }
}

/** What a finished GitHub job left in its shard besides files (read by the coordinator's merge). */
export function readGithubShardState(shard: Db, repoName: string | null): GithubShardState {
  const etags = shard.prepare('SELECT url, etag, body, link, fetched_at FROM github_etags ORDER BY url').all() as GithubShardState['etags'];
  const state = (shard.prepare('SELECT repo, commit_sha, status, reason, skipped, updated_at FROM github_repo_state ORDER BY repo LIMIT 1').get() as GithubShardState['state'] | undefined) ?? null;
  const facts = repoName
    ? ((shard.prepare('SELECT topics, archived, pushed_at, default_branch FROM repos WHERE name = ?').get(repoName) as GithubShardState['facts'] | undefined) ?? null)
    : null;
  return { etags, state, facts };
}

/** Applies a shard's state to the corpus (inside the caller's transaction): ETags, the ingest state, the GitHub facts of the repository row. */
export function applyGithubShardState(db: Db, repoName: string | null, s: GithubShardState): void {
  const e = db.prepare('INSERT OR REPLACE INTO github_etags (url, etag, body, link, fetched_at) VALUES (@url, @etag, @body, @link, @fetched_at)');
  for (const r of s.etags) e.run(r);
  if (s.state) {
    db.prepare('INSERT OR REPLACE INTO github_repo_state (repo, commit_sha, status, reason, skipped, updated_at) VALUES (@repo, @commit_sha, @status, @reason, @skipped, @updated_at)').run(s.state);
  }
  if (repoName && s.facts) {
    db.prepare('UPDATE repos SET topics = @topics, archived = @archived, pushed_at = @pushed_at, default_branch = @default_branch WHERE name = @name').run({ ...s.facts, name: repoName });
  }
}

/** False when the job stored no repository (the crawl failed before its metadata). */
export function shardHasRepo(shard: Db): boolean {
  return (shard.prepare('SELECT count(*) FROM repos').pluck().get() as number) > 0;
}
