import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CorpusError } from '../pipeline/errors.js';
import { migrate } from './migrations.js';

/** The better-sqlite3 handle. SQL lives only in corpus/ (the store) and in each stage's own *-store.ts. */
export type Db = Database.Database;

/** Where the corpus lives when neither --db nor INCORPUS_DB says otherwise. */
export const DEFAULT_DB_PATH = '.incorpus/corpus.db';

/** Resolves the database path from the flag, then INCORPUS_DB, then the default. */
export function resolveDbPath(flag?: string): string {
  return resolve(flag || process.env.INCORPUS_DB || DEFAULT_DB_PATH);
}

export interface OpenOptions {
  /** Create the file (and its folder) when missing; read commands pass false. @default true */
  create?: boolean;
  /** Open without write access: a second connection for streaming reads. @default false */
  readonly?: boolean;
}

/**
 * Opens the corpus in WAL mode and brings its schema up to date. WAL lets
 * `stats`, `why` and `export` read the current generation while a rebuild writes
 * the next one.
 */
export function openCorpus(path: string, opts: OpenOptions = {}): Db {
  const create = opts.create ?? true;
  if (!existsSync(path)) {
    if (!create || opts.readonly) {
      throw new CorpusError(`no corpus database at ${path}; crawl something first (incorpus crawl dir <path>) or pass --db`);
    }
    mkdirSync(dirname(path), { recursive: true });
  }
  let db: Db;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: !create });
  } catch (err) {
    throw new CorpusError(`cannot open corpus database ${path}: ${(err as Error).message}`, { cause: err });
  }
  db.pragma('busy_timeout = 10000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } else {
    assertSchemaKnown(db, path);
  }
  return db;
}

function assertSchemaKnown(db: Db, path: string): void {
  const row = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'migrations'")
    .get() as { n: number };
  if (row.n === 0) throw new CorpusError(`${path} is not an incorpus database (no migrations table)`);
}

/**
 * Runs async work inside one write transaction (BEGIN IMMEDIATE … COMMIT):
 * better-sqlite3's db.transaction() takes only synchronous functions, and a
 * streamed archive is read with await. Rolls back and rethrows on any error.
 */
export async function runInWriteTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * Runs async work inside one read transaction (BEGIN … COMMIT on this
 * connection): in WAL mode every statement in it sees the database as of the
 * first read, whatever other connections commit meanwhile. Nested calls join
 * the transaction already open.
 */
export async function runInReadTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db.inTransaction) return work();
  db.exec('BEGIN');
  try {
    return await work();
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}
