import type { Db } from './db.js';
import type { StoredBlob } from '../pipeline/doc-patch.js';

/**
 * Blob access the rebuild's stages need besides readBlob: compressed bytes for
 * a worker to decode, an existence check, and inserting a text a worker
 * already compressed. Prepared once per connection.
 */
export interface StageBlobs {
  load(sha256: string): StoredBlob | null;
  has(sha256: string): boolean;
  put(sha256: string, size: number, blob: StoredBlob): void;
}

export function createStageBlobs(db: Db): StageBlobs {
  const sel = db.prepare('SELECT codec, data FROM blobs WHERE sha256 = ?');
  const exists = db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').pluck();
  const ins = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, codec, data) VALUES (?, ?, ?, ?)');
  return {
    load: (sha256) => (sel.get(sha256) as StoredBlob | undefined) ?? null,
    has: (sha256) => exists.get(sha256) !== undefined,
    put(sha256, size, blob) {
      ins.run(sha256, size, blob.codec, blob.data);
    },
  };
}
