import { deserialize, serialize } from 'node:v8';
import type { Db } from '../corpus/db.js';
import type { Doc } from '../pipeline/doc.js';

/** Who a content hash's kept copy is, as a drop records it. */
export interface CopyIdentity {
  id: string;
  repo: string;
  path: string;
  sha256: string | null;
}

/**
 * Exact dedup's out-of-core state, in a TEMP table of the stage's connection
 * (SQLite's temp store, on disk): per distinct content, the identity of its
 * representative copy, and — while that copy waits for a better-licensed one
 * — the whole document without its text. Writes are buffered; reads see them.
 */
export interface ExactScratch {
  /** Records the copy of a new slot (or replaces the copy of an existing one); `held` stores the document itself. */
  set(slot: number, doc: Doc, held: boolean): void;
  identity(slot: number): CopyIdentity;
  /** The held document of a slot (its text null). */
  heldDoc(slot: number): Doc;
  /** Slots still holding a document, in slot order, paged. */
  heldSlots(): Generator<number>;
  dispose(): void;
}

const TABLE = 'temp.exact_dedup_slots';

export function createExactScratch(db: Db): ExactScratch {
  db.exec(`DROP TABLE IF EXISTS ${TABLE}; CREATE TEMP TABLE exact_dedup_slots (slot INTEGER PRIMARY KEY, id TEXT NOT NULL, repo TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT, held BLOB)`);
  const upsert = db.prepare(`INSERT OR REPLACE INTO ${TABLE} (slot, id, repo, path, sha256, held) VALUES (?, ?, ?, ?, ?, ?)`);
  const selIdentity = db.prepare(`SELECT id, repo, path, sha256 FROM ${TABLE} WHERE slot = ?`);
  const selHeld = db.prepare(`SELECT held FROM ${TABLE} WHERE slot = ?`).pluck();
  const heldPage = db.prepare(`SELECT slot FROM ${TABLE} WHERE slot > ? AND held IS NOT NULL ORDER BY slot LIMIT 1000`).pluck();
  let pending = new Map<number, { identity: CopyIdentity; held: Buffer | null }>();
  const write = db.transaction(() => {
    for (const [slot, r] of pending) upsert.run(slot, r.identity.id, r.identity.repo, r.identity.path, r.identity.sha256, r.held);
  });
  const flush = (): void => {
    if (pending.size === 0) return;
    write();
    pending = new Map();
  };
  return {
    set(slot, doc, held) {
      const identity = { id: doc.id, repo: doc.repo, path: doc.path, sha256: doc.sha256 };
      pending.set(slot, { identity, held: held ? serialize({ ...doc, text: doc.modifiedBy.length > 0 ? doc.text : null, blob: null }) : null });
      if (pending.size >= 1000) flush();
    },
    identity(slot) {
      return pending.get(slot)?.identity ?? (selIdentity.get(slot) as CopyIdentity);
    },
    heldDoc(slot) {
      const p = pending.get(slot);
      return deserialize(p ? p.held! : (selHeld.get(slot) as Buffer)) as Doc;
    },
    *heldSlots() {
      flush();
      for (let last = -1; ; ) {
        const page = heldPage.all(last) as number[];
        yield* page;
        if (page.length < 1000) return;
        last = page[page.length - 1]!;
      }
    },
    dispose() {
      db.exec(`DROP TABLE IF EXISTS ${TABLE}`);
    },
  };
}
