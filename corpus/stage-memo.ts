import type { Db } from './db.js';
import type { StageMemo } from '../pipeline/stage.js';

/** Keys per lookup statement: one query answers a whole batch. */
const LOOKUP = 64;

/**
 * The stage memo of a rebuild (table `stage_memo`): batched lookups, buffered
 * writes. A hit marks its row as used by `genId` (buffered too), so that after
 * the generation is committed pruneStageMemo can drop what it no longer needs
 * — results of old options, code or content never pile up.
 */
export function openStageMemo(db: Db, genId: number): StageMemo {
  const lookup = db.prepare(`SELECT key, value, used_gen FROM stage_memo WHERE key IN (${Array(LOOKUP).fill('?').join(', ')})`).raw();
  const upsert = db.prepare('INSERT OR REPLACE INTO stage_memo (key, value, used_gen) VALUES (?, ?, ?)');
  const touch = db.prepare('UPDATE stage_memo SET used_gen = ? WHERE key = ?');
  let puts: Array<[string, Uint8Array]> = [];
  let touched: string[] = [];
  const write = db.transaction(() => {
    for (const [k, v] of puts) upsert.run(k, v, genId);
    for (const k of touched) touch.run(genId, k);
  });
  const flush = (): void => {
    if (puts.length === 0 && touched.length === 0) return;
    write();
    puts = [];
    touched = [];
  };
  return {
    getMany(keys) {
      const out = new Map<string, Uint8Array>();
      for (let i = 0; i < keys.length; i += LOOKUP) {
        const chunk = keys.slice(i, i + LOOKUP);
        const params = [...chunk, ...Array<null>(LOOKUP - chunk.length).fill(null)];
        for (const [key, value, used] of lookup.all(...params) as Array<[string, Buffer, number]>) {
          out.set(key, value);
          if (used !== genId) touched.push(key);
        }
      }
      if (touched.length >= 2000) flush();
      return out;
    },
    put(key, value) {
      puts.push([key, value]);
      if (puts.length >= 1000) flush();
    },
    flush,
  };
}

/** Deletes memo rows the committed generation `genId` did not use. Returns how many. */
export function pruneStageMemo(db: Db, genId: number): number {
  return db.prepare('DELETE FROM stage_memo WHERE used_gen < ?').run(genId).changes;
}
