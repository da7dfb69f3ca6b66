import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../corpus/db.js';

type Statement = Database.Statement<unknown[]>;
import { CorpusError } from '../pipeline/errors.js';

/**
 * Out-of-core state of one near-dedup run: per-document records and signatures,
 * and LSH band keys, in a scratch SQLite database attached to the corpus
 * connection. It lives in its own file named after the generation (not in the
 * corpus file) so that a million documents' buckets never bloat the corpus, and
 * it is written without a journal: it is disposable, and a killed rebuild's
 * leftovers are deleted by the next one (dropStaleDedupScratch).
 */
export interface DedupScratch {
  /** Buffers one document: its JSON record, signature, and text only when a stage changed it. */
  addDoc(ord: number, record: string, sig: Uint32Array, text: string | null): void;
  /** Buffers the band keys of one document. */
  addBands(ord: number, keys: Float64Array): void;
  /** Writes what is buffered, in one transaction. */
  flush(): void;
  /** Sorts the band keys (one index build, SQLite's external sort) once every document is in. */
  indexBands(): void;
  /** Ordinals sharing a band key, group by group in key order; only groups of two or more. */
  bandGroups(): Generator<number[]>;
  /** Every document in ordinal order, paged (no statement stays open across writes). */
  docs(): Generator<ScratchDoc>;
  /** Every document's signature in ordinal order, paged. */
  signatures(): Generator<{ ord: number; sig: Uint32Array }>;
  signature(ord: number): Uint32Array | null;
  /** One document by ordinal. */
  docAt(ord: number): ScratchDoc | null;
  /** Detaches and deletes the scratch file. */
  dispose(): void;
}

export interface ScratchDoc {
  ord: number;
  record: string;
  text: string | null;
}

const SCHEMA = 'dedup_scratch';
const PAGE = 5000;

function scratchPath(db: Db, genId: number): string {
  if (!db.name || db.memory) throw new CorpusError('near-dedup needs a file-backed corpus database');
  return `${db.name}-dedup-g${genId}`;
}

/** Creates the scratch database for generation genId (replacing any leftover of the same id). */
export function createDedupScratch(db: Db, genId: number): DedupScratch {
  const path = scratchPath(db, genId);
  removeScratchFiles(path);
  // ATTACH inherits the main connection's open flags, which rebuild opens without CREATE.
  new Database(path).close();
  db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(path);
  db.exec(`
    PRAGMA ${SCHEMA}.journal_mode = OFF;
    PRAGMA ${SCHEMA}.synchronous = OFF;
    CREATE TABLE ${SCHEMA}.docs (ord INTEGER PRIMARY KEY, record TEXT NOT NULL, sig BLOB NOT NULL, text TEXT);
    CREATE TABLE ${SCHEMA}.bands (key INTEGER NOT NULL, ord INTEGER NOT NULL);
  `);
  const insDoc = db.prepare(`INSERT INTO ${SCHEMA}.docs (ord, record, sig, text) VALUES (?, ?, ?, ?)`);
  const insBand = db.prepare(`INSERT INTO ${SCHEMA}.bands (key, ord) VALUES (?, ?)`);
  // One multi-row INSERT per document: statement overhead, not SQLite's B-tree, dominates tiny rows.
  let insBands: { width: number; stmt: Statement } | null = null;
  const bandsStmt = (width: number): Statement => {
    if (insBands?.width !== width) {
      const values = Array.from({ length: width }, () => '(?, ?)').join(', ');
      insBands = { width, stmt: db.prepare(`INSERT INTO ${SCHEMA}.bands (key, ord) VALUES ${values}`) };
    }
    return insBands.stmt;
  };
  const selSig = db.prepare(`SELECT sig FROM ${SCHEMA}.docs WHERE ord = ?`).pluck();
  const selDoc = db.prepare(`SELECT ord, record, text FROM ${SCHEMA}.docs WHERE ord = ?`);
  let docBuf: Array<[number, string, Buffer, string | null]> = [];
  let bandBuf: Array<[number, Float64Array]> = [];
  const write = db.transaction(() => {
    for (const d of docBuf) insDoc.run(...d);
    for (const [ord, keys] of bandBuf) {
      if (keys.length > 100) {
        for (const k of keys) insBand.run(k, ord);
        continue;
      }
      const params: number[] = [];
      for (const k of keys) params.push(k, ord);
      if (params.length > 0) bandsStmt(keys.length).run(...params);
    }
  });
  const flush = (): void => {
    if (docBuf.length === 0 && bandBuf.length === 0) return;
    write();
    docBuf = [];
    bandBuf = [];
  };
  return {
    addDoc(ord, record, sig, text) {
      docBuf.push([ord, record, Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength), text]);
      if (docBuf.length >= 2000) flush();
    },
    addBands(ord, keys) {
      bandBuf.push([ord, keys]);
      if (bandBuf.length >= 2000) flush();
    },
    flush,
    indexBands() {
      flush();
      db.exec(`CREATE INDEX ${SCHEMA}.bands_key ON bands (key, ord)`);
    },
    *bandGroups() {
      const page = db.prepare(`SELECT key, ord FROM ${SCHEMA}.bands WHERE (key, ord) > (?, ?) ORDER BY key, ord LIMIT ${PAGE}`).raw();
      let last: [number, number] = [-1, -1];
      let group: number[] = [];
      let groupKey = -1;
      for (;;) {
        const rows = page.all(...last) as Array<[number, number]>;
        for (const [key, ord] of rows) {
          if (key !== groupKey) {
            if (group.length > 1) yield group;
            group = [];
            groupKey = key;
          }
          group.push(ord);
        }
        if (rows.length < PAGE) break;
        last = rows[rows.length - 1]!;
      }
      if (group.length > 1) yield group;
    },
    *docs() {
      const page = db.prepare(`SELECT ord, record, text FROM ${SCHEMA}.docs WHERE ord > ? ORDER BY ord LIMIT ${PAGE}`);
      let last = -1;
      for (;;) {
        const rows = page.all(last) as ScratchDoc[];
        yield* rows;
        if (rows.length < PAGE) break;
        last = rows[rows.length - 1]!.ord;
      }
    },
    *signatures() {
      const page = db.prepare(`SELECT ord, sig FROM ${SCHEMA}.docs WHERE ord > ? ORDER BY ord LIMIT ${PAGE}`);
      let last = -1;
      for (;;) {
        const rows = page.all(last) as Array<{ ord: number; sig: Buffer }>;
        for (const r of rows) yield { ord: r.ord, sig: toSignature(r.sig) };
        if (rows.length < PAGE) break;
        last = rows[rows.length - 1]!.ord;
      }
    },
    signature(ord) {
      const buf = selSig.get(ord) as Buffer | undefined;
      return buf ? toSignature(buf) : null;
    },
    docAt(ord) {
      return (selDoc.get(ord) as ScratchDoc | undefined) ?? null;
    },
    dispose() {
      db.exec(`DETACH DATABASE ${SCHEMA}`);
      removeScratchFiles(path);
    },
  };
}

/** A signature from its stored bytes (copied: the buffer may not be 4-byte aligned). */
export function toSignature(buf: Buffer): Uint32Array {
  const copy = new Uint8Array(buf);
  return new Uint32Array(copy.buffer, 0, copy.byteLength / 4);
}

/**
 * Deletes scratch files of other generations: a rebuild runs after
 * abandonStaleGenerations, so any other scratch belongs to a killed rebuild.
 * Returns how many were removed.
 */
export function dropStaleDedupScratch(db: Db, genId: number): number {
  const own = basename(scratchPath(db, genId));
  const prefix = `${basename(db.name)}-dedup-g`;
  let removed = 0;
  for (const name of readdirSync(dirname(db.name))) {
    if (!name.startsWith(prefix) || name === own || !/^\d+$/.test(name.slice(prefix.length))) continue;
    removeScratchFiles(join(dirname(db.name), name));
    removed++;
  }
  return removed;
}

function removeScratchFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}
