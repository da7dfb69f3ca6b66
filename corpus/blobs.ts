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
