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
 * The read connection a shard streams from: a TEMP view `files` shadows the
 * corpus table with the shard's id range (SQLite looks in temp first), so the
 * rebuild's own source query (corpus/rebuild-source.ts) reads only the shard,
 * by primary key, unchanged. Temp objects live in the connection, never in the file.
 */
export function openShardReader(dbPath: string, range: ShardRange): Db {
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 10000');
  reader.exec(`CREATE TEMP VIEW files AS SELECT * FROM main.files WHERE id BETWEEN ${Math.trunc(range.firstId)} AND ${Math.trunc(range.lastId)}`);
  return reader;
}

/**
 * The connection the per-document stages get as ctx.db: the corpus for every
 * read (repository index, crawled originals), with `verify_cache` shadowed by a
 * TEMP view over the shard's cache and the corpus's, whose inserts go to the
 * shard. The corpus file is never written: every put lands in the shard.
 * `shardPath` must be a migrated corpus file (it has the verify_cache table).
 */
export function openShardWriter(dbPath: string, shardPath: string): Db {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  db.prepare('ATTACH ? AS shard').run(shardPath);
  db.exec(`
    CREATE TEMP VIEW verify_cache AS
      SELECT * FROM shard.verify_cache
      UNION ALL SELECT * FROM main.verify_cache WHERE key NOT IN (SELECT key FROM shard.verify_cache);
    CREATE TEMP TRIGGER verify_cache_put INSTEAD OF INSERT ON verify_cache BEGIN
      INSERT OR REPLACE INTO shard.verify_cache (key, kind, tool, version, result, created_at)
      VALUES (NEW.key, NEW.kind, NEW.tool, NEW.version, NEW.result, NEW.created_at);
    END;`);
  return db;
}

/**
 * Copies a shard's verify cache into the corpus. Entries are facts about code
 * under one key (same key, same answer), so merge order cannot change a
 * result; OR IGNORE keeps the corpus's older row when two shards share a key.
 */
export function mergeVerifyShard(db: Db, shardPath: string): number {
  db.prepare('ATTACH ? AS shard').run(shardPath);
  try {
    return db.prepare('INSERT OR IGNORE INTO main.verify_cache SELECT key, kind, tool, version, result, created_at FROM shard.verify_cache ORDER BY key').run().changes;
  } finally {
    db.exec('DETACH shard');
  }
}
