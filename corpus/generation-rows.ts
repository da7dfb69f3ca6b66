import type { Db } from './db.js';

/**
 * Deletes every row of generation `genId` from every table keyed by a `gen_id`
 * column — verdicts, duplicate clusters, families, repository facts, and any
 * per-generation table a later migration adds — in batches of `batch` rows, each
 * its own short write transaction, so crawlers writing meanwhile wait for
 * milliseconds, not for the whole deletion. Returns the rows deleted.
 */
export function deleteGenerationRows(db: Db, genId: number, batch = 5000): number {
  return deleteRowsWhere(db, 'gen_id = ?', [genId], batch);
}

/** Like deleteGenerationRows, for every pruned or abandoned generation at once (one probe per table, however many there are). */
export function deleteDeadGenerationRows(db: Db, batch = 5000): number {
  return deleteRowsWhere(db, "gen_id IN (SELECT id FROM generations WHERE status IN ('pruned', 'abandoned'))", [], batch);
}

function deleteRowsWhere(db: Db, where: string, args: unknown[], batch: number): number {
  let total = 0;
  for (const { table, key } of perGenerationTables(db)) {
    const del = db.prepare(`DELETE FROM "${table}" WHERE (${key}) IN (SELECT ${key} FROM "${table}" WHERE ${where} LIMIT ?)`);
    for (;;) {
      const n = db.transaction(() => del.run(...args, batch).changes).immediate();
      total += n;
      if (n < batch) break;
    }
  }
  return total;
}

/** Tables with a gen_id column, each with the columns that identify a row (rowid, or the primary key of a WITHOUT ROWID table). */
function perGenerationTables(db: Db): Array<{ table: string; key: string }> {
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name <> 'generations'").all() as Array<{ name: string; sql: string }>;
  const out: Array<{ table: string; key: string }> = [];
  for (const t of tables) {
    const cols = db.prepare('SELECT name, pk FROM pragma_table_info(?)').all(t.name) as Array<{ name: string; pk: number }>;
    if (!cols.some((c) => c.name === 'gen_id')) continue;
    const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(t.sql);
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => `"${c.name}"`);
    out.push({ table: t.name, key: withoutRowid ? pk.join(', ') : 'rowid' });
  }
  return out;
}
