import { openCorpus, resolveDbPath, type Db } from '../corpus/db.js';

/**
 * Opens the corpus named by --db / INCORPUS_DB / the default, runs a command
 * body with it and closes it however the body ends: the one open/close every
 * command handler shares. Read-only commands never create a database.
 */
export async function withCorpus<T>(dbFlag: string | undefined, opts: { readonly?: boolean }, body: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openCorpus(resolveDbPath(dbFlag), { readonly: opts.readonly ?? false });
  try {
    return await body(db);
  } finally {
    db.close();
  }
}
