import Database from 'better-sqlite3';
import type { Db } from '../corpus/db.js';
import { inSnapshotSql, snapshotArgs, type RawSnapshot } from '../corpus/raw-snapshot.js';

/** A rebuild shard: contiguous file ids of the snapshot (a repository's files are contiguous: one crawl writes them). */
export interface ShardRange {
  firstId: number;
  lastId: number;
  files: number;
}

/** Cuts the snapshot's file ids into ranges of at most `size` files, in id order. */
export function planShardRanges(db: Db, snapshot: RawSnapshot, size: number): ShardRange[] {
  const ids = db.prepare(`SELECT f.id FROM files f WHERE ${inSnapshotSql('f', snapshot)} ORDER BY f.id`).pluck();
  const out: ShardRange[] = [];
  let cur: ShardRange | null = null;
  for (const id of ids.iterate(...snapshotArgs(snapshot)) as Iterable<number>) {
    if (!cur || cur.files >= size) out.push((cur = { firstId: id, lastId: id, files: 0 }));
    cur.lastId = id;
    cur.files++;
  }
  return out;
}

/**
 * The read connection a shard streams from: a TEMP copy of the shard's file
 * rows (metadata only, at most a shard's worth) shadows the corpus's `files`
 * (SQLite looks in temp first), with the index the source query names, so the
 * rebuild's own source query (corpus/rebuild-source.ts) reads only the shard,
 * unchanged. Temp objects live in the connection, never in the corpus file.
 */
export function openShardReader(dbPath: string, range: ShardRange): Db {
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 10000');
  reader.exec(`
    CREATE TEMP TABLE files AS SELECT * FROM main.files WHERE id BETWEEN ${Math.trunc(range.firstId)} AND ${Math.trunc(range.lastId)};
    CREATE INDEX temp.files_repo_path ON files(repo_id, path, id);`);
  return reader;
}

/** Corpus tables a shard's stages write: the shard gets the rows, reads see shard then corpus. */
const SHADOWED: ReadonlyArray<{ table: string; key: string; columns: readonly string[]; conflict: string }> = [
  { table: 'verify_cache', key: 'key', columns: ['key', 'kind', 'tool', 'version', 'result', 'created_at'], conflict: 'OR REPLACE' },
  // Refined texts the worker chain stores for later stages to reload (StageContext.putBlob).
  { table: 'blobs', key: 'sha256', columns: ['sha256', 'size', 'codec', 'data'], conflict: 'OR IGNORE' },
  // The per-document stage results (corpus/stage-memo.ts) the coordinator's rebuild then reuses.
  { table: 'stage_memo', key: '(scope, key)', columns: ['scope', 'key', 'sha256', 'value'], conflict: 'OR REPLACE' },
];

/**
 * The connection the per-document stages get as ctx.db: the corpus for every
 * read (repository index, crawled originals), with each table stages write
 * (verify_cache, blobs) shadowed by a TEMP view over the shard's rows and the
 * corpus's, whose inserts go to the shard. The corpus file is never written.
 * `shardPath` must be a migrated corpus file (it has those tables).
 */
export function openShardWriter(dbPath: string, shardPath: string): Db {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  db.prepare('ATTACH ? AS shard').run(shardPath);
  for (const t of SHADOWED) {
    const cols = t.columns.join(', ');
    db.exec(`
      CREATE TEMP VIEW ${t.table} AS
        SELECT ${cols} FROM shard.${t.table}
        UNION ALL SELECT ${cols} FROM main.${t.table} WHERE ${t.key} NOT IN (SELECT ${t.key.replace(/[()]/g, "")} FROM shard.${t.table});
      CREATE TEMP TRIGGER ${t.table}_put INSTEAD OF INSERT ON ${t.table} BEGIN
        INSERT ${t.conflict} INTO shard.${t.table} (${cols}) VALUES (${t.columns.map((c) => `NEW.${c}`).join(', ')});
      END;`);
  }
  return db;
}

/**
 * Copies a shard's caches into the corpus: its verify cache and, when the
 * rebuild is incremental, its stage memo with the refined texts the memo
 * points to. Entries are facts about code under a key naming every input
 * (same key, same answer), so merge order cannot change a result; OR IGNORE
 * keeps the corpus's older row when two shards share a key. A memo result
 * whose key the coordinator never asks (a document a global stage dropped
 * first) is only an unused row, as in the verify cache. Returns the verify
 * cache rows added.
 */
export function mergeVerifyShard(db: Db, shardPath: string, opts: { memo?: boolean } = {}): number {
  db.prepare('ATTACH ? AS shard').run(shardPath);
  try {
    return db.transaction(() => {
      const n = db.prepare('INSERT OR IGNORE INTO main.verify_cache SELECT key, kind, tool, version, result, created_at FROM shard.verify_cache ORDER BY key').run().changes;
      if (opts.memo) {
        db.prepare('INSERT OR IGNORE INTO main.blobs (sha256, size, codec, data) SELECT sha256, size, codec, data FROM shard.blobs ORDER BY sha256').run();
        db.prepare('INSERT OR IGNORE INTO main.stage_memo (scope, key, sha256, value) SELECT scope, key, sha256, value FROM shard.stage_memo ORDER BY scope, key').run();
      }
      return n;
    })();
  } finally {
    db.exec('DETACH shard');
  }
}
