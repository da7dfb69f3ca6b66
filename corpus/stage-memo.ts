import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import type { StageMemo } from '../pipeline/stage.js';

type Statement = Database.Statement<unknown[]>;

/** Most keys one lookup statement takes (SQLite's default limit on parameters is far above). */
const LOOKUP = 64;

/**
 * The stage memo of a rebuild (table `stage_memo`): batched lookups, buffered
 * writes, nothing written on a hit. Pruning (pruneStageMemo) needs no usage
 * tracking: a result is about one content hash under one scope (options +
 * code), and is dropped once no current file has that content or the
 * committed generation used no such scope — so results of old options, code
 * or content never pile up.
 */
export interface RebuildMemo extends StageMemo {
  /** The scopes this rebuild looked up or wrote. */
  scopes(): string[];
}

export function openStageMemo(db: Db): RebuildMemo {
  const lookups = new Map<number, Statement>();
  const lookup = (n: number): Statement => {
    let st = lookups.get(n);
    if (!st) lookups.set(n, (st = db.prepare(`SELECT key, value FROM stage_memo WHERE scope = ? AND key IN (${Array(n).fill('?').join(', ')})`).raw()));
    return st;
  };
  const upsert = db.prepare('INSERT OR REPLACE INTO stage_memo (scope, key, sha256, value) VALUES (?, ?, ?, ?)');
  const used = new Set<string>();
  // Scopes with no row when this rebuild first asked (a first rebuild, or new
  // options or code): every lookup would miss, so none is made. A document
  // identical to an earlier one of the same run is computed again instead of
  // read back: the same result, without a query per batch for all the others.
  const emptyAtStart = new Map<string, boolean>();
  const anyRow = db.prepare('SELECT 1 FROM stage_memo WHERE scope = ? LIMIT 1').pluck();
  const isEmpty = (scope: string): boolean => {
    let e = emptyAtStart.get(scope);
    if (e === undefined) emptyAtStart.set(scope, (e = anyRow.get(scope) === undefined));
    return e;
  };
  let puts: Array<[string, string, string, Uint8Array]> = [];
  const write = db.transaction(() => {
    for (const row of puts) upsert.run(...row);
  });
  const flush = (): void => {
    if (puts.length === 0) return;
    write();
    puts = [];
  };
  return {
    getMany(scope, keys) {
      used.add(scope);
      const out = new Map<string, Uint8Array>();
      if (isEmpty(scope)) return out;
      for (let i = 0; i < keys.length; i += LOOKUP) {
        const chunk = keys.slice(i, i + LOOKUP);
        for (const [key, value] of lookup(chunk.length).all(scope, ...chunk) as Array<[string, Buffer]>) out.set(key, value);
      }
      return out;
    },
    put(scope, key, sha256, value) {
      used.add(scope);
      isEmpty(scope);
      puts.push([scope, key, sha256, value]);
      if (puts.length >= 1000) flush();
    },
    flush,
    scopes: () => [...used],
  };
}

/** After a generation is committed: drops results of scopes it did not use, and of contents no current file has. Returns how many. */
export function pruneStageMemo(db: Db, usedScopes: readonly string[]): number {
  return db.transaction(() => {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS memo_scopes (scope TEXT PRIMARY KEY); DELETE FROM temp.memo_scopes');
    const ins = db.prepare('INSERT OR IGNORE INTO temp.memo_scopes (scope) VALUES (?)');
    for (const s of usedScopes) ins.run(s);
    return db
      .prepare(
        `DELETE FROM stage_memo WHERE scope NOT IN (SELECT scope FROM temp.memo_scopes)
           OR (sha256 <> '' AND sha256 NOT IN (SELECT sha256 FROM files WHERE current = 1 AND sha256 IS NOT NULL))`,
      )
      .run().changes;
  })();
}

/** Forgets every memoized result (benchmarks measure a first rebuild this way; `rebuild` never needs it). */
export function clearStageMemo(db: Db): void {
  db.prepare('DELETE FROM stage_memo').run();
}
