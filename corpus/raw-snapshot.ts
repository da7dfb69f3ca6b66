import type { Db } from './db.js';
import type { RawSnapshot } from '../pipeline/stage.js';

export type { RawSnapshot };

/**
 * Snapshots of the append-only raw layer. File rows are only inserted (ids only
 * grow: rows are never deleted, so SQLite never reuses an id) and retired
 * (`current = 0`; a trigger stamps `retired_seq` with the next tick of
 * `raw_clock`, migration 0009). A crawl writes each changed path's retirement
 * and its new row in one transaction, so the raw layer as committed at any
 * moment is exactly: rows with `id <= maxFileId` not retired by tick `seq`.
 * Reading both numbers in one statement pins that moment; rows a crawl commits
 * later are outside the snapshot and are what `stats` reports as pending.
 */
export function pinRawSnapshot(db: Db): RawSnapshot {
  const row = db.prepare('SELECT (SELECT coalesce(max(id), 0) FROM files) AS maxFileId, (SELECT seq FROM raw_clock WHERE id = 1) AS seq').get() as RawSnapshot;
  return { maxFileId: row.maxFileId, seq: row.seq };
}

/**
 * SQL condition "file row `alias` is in the snapshot", with two positional
 * parameters (snapshotArgs); without a snapshot, the current rows.
 */
export function inSnapshotSql(alias: string, snapshot: RawSnapshot | null | undefined): string {
  return snapshot ? `(${alias}.id <= ? AND (${alias}.retired_seq IS NULL OR ${alias}.retired_seq > ?))` : `${alias}.current = 1`;
}

/** The parameters inSnapshotSql's condition takes, in order. */
export function snapshotArgs(snapshot: RawSnapshot | null | undefined): number[] {
  return snapshot ? [snapshot.maxFileId, snapshot.seq] : [];
}

/** How many file rows a snapshot holds. */
export function countSnapshotFiles(db: Db, snapshot: RawSnapshot | null): number {
  return db.prepare(`SELECT count(*) FROM files f WHERE ${inSnapshotSql('f', snapshot)}`).pluck().get(...snapshotArgs(snapshot)) as number;
}

/** Raw changes committed after a snapshot: new file rows (new or changed paths) and rows retired since. */
export interface RawChanges {
  added: number;
  retired: number;
}

export function countRawChangesSince(db: Db, snapshot: RawSnapshot): RawChanges {
  return {
    added: db.prepare('SELECT count(*) FROM files WHERE id > ?').pluck().get(snapshot.maxFileId) as number,
    // Rows added after the snapshot and retired again never were in it: they are not a change to it.
    retired: db.prepare('SELECT count(*) FROM files WHERE retired_seq > ? AND id <= ?').pluck().get(snapshot.seq, snapshot.maxFileId) as number,
  };
}

/**
 * A digest of everything a rebuild reads from the raw layer besides file
 * contents: the pinned snapshot (which file rows, hence which content hashes)
 * and the repository and source facts the keep rule and fork families rank by
 * (stars, forks, fork parent, license claim, revision time…). A crawl that adds,
 * changes or retires a file moves the snapshot; one that only refreshes
 * repository facts changes the facts. One pass over `repos` and `sources`, no
 * file contents: cheap next to a rebuild at any size.
 */
export function rawInputsDigest(db: Db, snapshot: RawSnapshot, update: (chunk: string) => void): void {
  update(`snapshot ${snapshot.maxFileId} ${snapshot.seq}\n`);
  for (const row of db.prepare('SELECT id, name, source_id, commit_sha, revision_time, stars, forks, fork_parent, license_claim FROM repos ORDER BY id').raw().iterate()) {
    update(JSON.stringify(row));
  }
  update('\nsources\n');
  // Not `created_at`: when a source was first crawled is not an input of the
  // rebuild. With it, two corpora crawled from the same trees at different
  // moments got different digests (the export manifest, which records the
  // generation config, then differed between an in-process and a queued run).
  for (const row of db.prepare('SELECT id, kind, uri, ref FROM sources ORDER BY id').raw().iterate()) update(JSON.stringify(row));
}
