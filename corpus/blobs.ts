import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './db.js';
import { CorpusError } from '../pipeline/errors.js';

/** The one codec written today; the column exists so a later one can coexist. */
export const BLOB_CODEC = 'deflate-raw';

/** Compresses file bytes for the blob table (level 6: zlib's default speed/size balance). */
export function compressBlob(data: Buffer): Buffer {
  return deflateRawSync(data, { level: 6 });
}

/** Inverse of compressBlob; safe to call from a worker thread. */
export function decompressBlob(codec: string, data: Uint8Array): Buffer {
  if (codec !== BLOB_CODEC) throw new CorpusError(`unknown blob codec ${codec}`);
  return inflateRawSync(data);
}

/** Returns a function that stores a blob once; a known sha256 costs one index lookup. */
export function createBlobWriter(db: Db): (sha256: string, data: Buffer) => void {
  const insert = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, codec, data) VALUES (?, ?, ?, ?)');
  const exists = db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').pluck();
  return (sha256, data) => {
    if (exists.get(sha256)) return;
    insert.run(sha256, data.length, BLOB_CODEC, compressBlob(data));
  };
}

/** Reads and decompresses one blob, or null when it is not stored. */
export function readBlob(db: Db, sha256: string): Buffer | null {
  const row = db.prepare('SELECT codec, data FROM blobs WHERE sha256 = ?').get(sha256) as
    | { codec: string; data: Buffer }
    | undefined;
  return row ? decompressBlob(row.codec, row.data) : null;
}

/** What a blob garbage collection removed. */
export interface BlobGcResult {
  blobs: number;
  /** Compressed bytes freed in the database (reused by SQLite; the file shrinks only with VACUUM). */
  bytes: number;
}

/**
 * Deletes blobs nothing references: no file row (current or retired — the raw
 * layer keeps its history) and no verdict of a retained generation. That is
 * mostly refined text (PII redaction, normalization) of pruned or abandoned
 * generations. Safe beside other processes: each delete re-checks both
 * references inside its own write transaction, so a crawl that meanwhile
 * stored a file with that content keeps it (its own transaction either came
 * first, or re-inserts the blob it no longer finds); a reader (export) keeps
 * its WAL snapshot; and only the rebuild-lock holder runs this, so no rebuild
 * is writing refined blobs whose verdicts are not stored yet.
 */
export function collectUnreferencedBlobs(db: Db, batch = 500): BlobGcResult {
  const unreferenced = `NOT EXISTS (SELECT 1 FROM files f WHERE f.sha256 = b.sha256) AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.out_sha256 = b.sha256)`;
  const candidates = db.prepare(`SELECT b.sha256 FROM blobs b WHERE ${unreferenced}`).pluck().all() as string[];
  const del = db.prepare(`DELETE FROM blobs AS b WHERE b.sha256 = ? AND ${unreferenced} RETURNING length(data) AS n`);
  const result: BlobGcResult = { blobs: 0, bytes: 0 };
  for (let i = 0; i < candidates.length; i += batch) {
    db.transaction(() => {
      for (const sha of candidates.slice(i, i + batch)) {
        const row = del.get(sha) as { n: number } | undefined;
        if (row) {
          result.blobs++;
          result.bytes += row.n;
        }
      }
    }).immediate();
  }
  return result;
}
