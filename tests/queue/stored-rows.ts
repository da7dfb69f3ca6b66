import Database from 'better-sqlite3';

/** Columns that hold wall-clock facts (when, how long): the only things a re-run may change. */
const CLOCK = /(_at|elapsed_ms)$/;

/**
 * Every row of every table of a corpus, wall-clock columns left out, in a
 * fixed order: what "the queued command stored the same thing" compares.
 */
export function storedRows(dbPath: string, skip: readonly string[] = []): Record<string, unknown[]> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations' ORDER BY name").pluck().all() as string[];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      if (skip.includes(t)) continue;
      const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).filter((c) => !CLOCK.test(c));
      const list = cols.map((c) => `"${c}"`).join(', ');
      out[t] = db.prepare(`SELECT ${list} FROM "${t}" ORDER BY ${cols.map((_, i) => i + 1).join(', ')}`).all();
    }
    return out;
  } finally {
    db.close();
  }
}
