import type { Db } from './db.js';
import { createBlobWriter } from './blobs.js';
import { makeDocId, sha256Hex } from './doc-id.js';
import type { FileStatus } from '../pipeline/doc.js';


export interface SourceInput {
  kind: 'dir' | 'git' | 'github' | 'pdf' | 'web';
  /** Absolute path or URL with any credentials removed. */
  uri: string;
  ref?: string;
}

/** Repository provenance; every field but the name is optional for local sources. */
export interface RepoInput {
  name: string;
  url?: string | null;
  commitSha?: string | null;
  revisionTime?: string | null;
  stars?: number | null;
  forks?: number | null;
  forkParent?: string | null;
  licenseClaim?: string | null;
}

export interface RawFileInput {
  path: string;
  size: number;
  status: FileStatus;
  reason?: string | null;
  /** The bytes, present exactly when status is `ok`. */
  content?: Buffer;
}

export type FileChange = 'added' | 'changed' | 'unchanged';

export interface CrawlCounts {
  seen: number;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  byStatus: Record<string, number>;
}

const now = (): string => new Date().toISOString();

/** Finds or creates the source row and opens a crawl record for it. */
export function beginCrawl(db: Db, source: SourceInput): { sourceId: number; crawlId: number } {
  return db.transaction(() => {
    const ref = source.ref ?? '';
    db.prepare('INSERT OR IGNORE INTO sources (kind, uri, ref, created_at) VALUES (?, ?, ?, ?)').run(source.kind, source.uri, ref, now());
    const sourceId = db.prepare('SELECT id FROM sources WHERE kind = ? AND uri = ? AND ref = ?').pluck().get(source.kind, source.uri, ref) as number;
    const crawlId = Number(
      db.prepare("INSERT INTO crawls (source_id, started_at, status) VALUES (?, ?, 'running')").run(sourceId, now()).lastInsertRowid,
    );
    return { sourceId, crawlId };
  }).immediate();
}

/** Closes a crawl record with its outcome and counters. */
export function finishCrawl(db: Db, crawlId: number, status: 'complete' | 'failed', counts: CrawlCounts): void {
  db.prepare('UPDATE crawls SET finished_at = ?, status = ?, counts = ? WHERE id = ?').run(now(), status, JSON.stringify(counts), crawlId);
}

/** Inserts or refreshes a repository's provenance and returns its id. */
export function upsertRepo(db: Db, sourceId: number, repo: RepoInput): number {
  db.prepare(
    `INSERT INTO repos (name, source_id, url, commit_sha, revision_time, stars, forks, fork_parent, license_claim, crawled_at)
     VALUES (@name, @sourceId, @url, @commitSha, @revisionTime, @stars, @forks, @forkParent, @licenseClaim, @crawledAt)
     ON CONFLICT (name) DO UPDATE SET source_id = excluded.source_id, url = excluded.url, commit_sha = excluded.commit_sha,
       revision_time = excluded.revision_time, stars = coalesce(excluded.stars, stars), forks = coalesce(excluded.forks, forks),
       fork_parent = coalesce(excluded.fork_parent, fork_parent), license_claim = coalesce(excluded.license_claim, license_claim),
       crawled_at = excluded.crawled_at`,
  ).run({
    name: repo.name,
    sourceId,
    url: repo.url ?? null,
    commitSha: repo.commitSha ?? null,
    revisionTime: repo.revisionTime ?? null,
    stars: repo.stars ?? null,
    forks: repo.forks ?? null,
    forkParent: repo.forkParent ?? null,
    licenseClaim: repo.licenseClaim ?? null,
    crawledAt: now(),
  });
  return db.prepare('SELECT id FROM repos WHERE name = ?').pluck().get(repo.name) as number;
}

export interface RepoSnapshotWriter {
  /** Records one crawled path; writes nothing when it is unchanged since the last crawl. */
  add(file: RawFileInput): FileChange;
  /** Flushes, retires files this crawl did not see, and returns the counters. */
  finish(): CrawlCounts;
}

/** The source URI of the repository named `name`, or undefined when no repository has that name. */
export function findRepoSourceUri(db: Db, name: string): string | undefined {
  return db.prepare('SELECT s.uri FROM repos r JOIN sources s ON s.id = r.source_id WHERE r.name = ?').pluck().get(name) as string | undefined;
}

/**
 * Writes one crawl of a repository as a snapshot: new and changed files get new
 * rows, unchanged files are left alone (re-crawling adds nothing), and paths that
 * vanished are marked not current — never deleted. Batches writes in transactions.
 */
export function createRepoSnapshotWriter(db: Db, crawlId: number, repoId: number, repoName: string, batchSize = 500): RepoSnapshotWriter {
  const existing = new Map<string, { id: number; sha256: string | null; status: string }>();
  for (const row of db.prepare('SELECT id, path, sha256, status FROM files WHERE repo_id = ? AND current = 1').iterate(repoId) as Iterable<{
    id: number; path: string; sha256: string | null; status: string;
  }>) {
    existing.set(row.path, row);
  }
  const putBlob = createBlobWriter(db);
  const retire = db.prepare('UPDATE files SET current = 0 WHERE id = ?');
  const insert = db.prepare(
    'INSERT INTO files (doc_id, repo_id, path, size, sha256, status, reason, current, crawl_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)',
  );
  const counts: CrawlCounts = { seen: 0, added: 0, changed: 0, unchanged: 0, removed: 0, byStatus: {} };
  const seen = new Set<string>();
  let pending: Array<{ file: RawFileInput; sha256: string | null; retireId: number | null }> = [];

  // IMMEDIATE: the batch reads (blob exists?) before it writes, and a deferred transaction whose
  // read snapshot went stale while a rebuild committed verdicts cannot upgrade to a write (SQLITE_BUSY_SNAPSHOT).
  // A changed path's retirement and its new row share one transaction: a rebuild's snapshot sees both or neither.
  const flush = db.transaction(() => {
    for (const { file, sha256, retireId } of pending) {
      if (retireId !== null) retire.run(retireId);
      if (sha256 !== null && file.content) putBlob(sha256, file.content);
      insert.run(makeDocId(repoName, file.path), repoId, file.path, file.size, sha256, file.status, file.reason ?? null, crawlId);
    }
    pending = [];
  });

  return {
    add(file) {
      counts.seen++;
      counts.byStatus[file.status] = (counts.byStatus[file.status] ?? 0) + 1;
      if (seen.has(file.path)) return 'unchanged';
      seen.add(file.path);
      const sha256 = file.status === 'ok' && file.content ? sha256Hex(file.content) : null;
      const prev = existing.get(file.path);
      if (prev && prev.sha256 === sha256 && prev.status === file.status) {
        counts.unchanged++;
        return 'unchanged';
      }
      pending.push({ file, sha256, retireId: prev ? prev.id : null });
      if (prev) counts.changed++;
      else counts.added++;
      if (pending.length >= batchSize) flush.immediate();
      return prev ? 'changed' : 'added';
    },
    finish() {
      flush.immediate();
      const gone = [...existing].filter(([path]) => !seen.has(path)).map(([, row]) => row);
      db.transaction(() => gone.forEach((row) => retire.run(row.id))).immediate();
      counts.removed = gone.length;
      return counts;
    },
  };
}

/** The id of the latest crawl recorded in the corpus (0 before the first): what a queued crawl's job ids are relative to. */
export function lastCrawlId(db: Db): number {
  return db.prepare('SELECT coalesce(max(id), 0) FROM crawls').pluck().get() as number;
}
