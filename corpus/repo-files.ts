import type { Db } from './db.js';
import { readBlob } from './blobs.js';
import { inSnapshotSql, snapshotArgs, type RawSnapshot } from './raw-snapshot.js';

/** One current, stored file of a repository. */
export interface RepoFile {
  path: string;
  sha256: string;
  size: number;
}

/**
 * Every current, stored file of a repository, ordered by path: one indexed
 * query per repository, from which verification builds its path and suffix
 * maps (repository context, build files, generated-IP scripts). During a
 * rebuild, pass its snapshot (StageContext.snapshot) so a crawl meanwhile does
 * not change the context a file is compiled in.
 */
export function listAllRepoFiles(db: Db, repo: string, snapshot?: RawSnapshot): RepoFile[] {
  return db
    .prepare(
      `SELECT f.path, f.sha256, f.size FROM files f JOIN repos r ON r.id = f.repo_id
       WHERE r.name = ? AND ${inSnapshotSql('f', snapshot)} AND f.status = 'ok' AND f.sha256 IS NOT NULL ORDER BY f.path`,
    )
    .all(repo, ...snapshotArgs(snapshot)) as RepoFile[];
}

/** The current, stored files of a repository whose path ends with one of the given extensions (lower-case, with the dot). */
export function listRepoFiles(db: Db, repo: string, extensions: readonly string[], snapshot?: RawSnapshot): RepoFile[] {
  const exts = extensions.map((e) => e.toLowerCase());
  return listAllRepoFiles(db, repo, snapshot).filter((r) => exts.some((e) => r.path.toLowerCase().endsWith(e)));
}

/** A stored file's text, or null when the blob is missing. */
export function readRepoFileText(db: Db, sha256: string): string | null {
  return readBlob(db, sha256)?.toString('utf8') ?? null;
}
