import type { Db } from './db.js';
import { CorpusError } from '../pipeline/errors.js';

export interface GenerationRow {
  id: number;
  status: 'building' | 'complete' | 'abandoned';
  startedAt: string;
  finishedAt: string | null;
  config: Record<string, unknown>;
  stats: Record<string, unknown> | null;
}

/**
 * Clears what a killed rebuild left behind: generations still `building` lose
 * their verdicts and are marked abandoned. Returns how many there were.
 */
export function abandonStaleGenerations(db: Db): number {
  return db.transaction(() => {
    const stale = db.prepare("SELECT id FROM generations WHERE status = 'building'").pluck().all() as number[];
    for (const id of stale) {
      db.prepare('DELETE FROM verdicts WHERE gen_id = ?').run(id);
      db.prepare("UPDATE generations SET status = 'abandoned', finished_at = ? WHERE id = ?").run(new Date().toISOString(), id);
    }
    return stale.length;
  }).immediate();
}

/** Starts a new generation; readers keep seeing the current one until it is swapped in. */
export function beginGeneration(db: Db, config: Record<string, unknown>): number {
  const info = db
    .prepare("INSERT INTO generations (status, started_at, config) VALUES ('building', ?, ?)")
    .run(new Date().toISOString(), JSON.stringify(config));
  return Number(info.lastInsertRowid);
}

/**
 * Swaps a finished generation in, in one transaction, after checking that every
 * current file got a verdict; then drops older generations' verdicts.
 */
export function commitGeneration(db: Db, genId: number, stats: Record<string, unknown>): void {
  db.transaction(() => {
    const expected = db.prepare('SELECT count(*) FROM files WHERE current = 1').pluck().get() as number;
    const got = db.prepare('SELECT count(*) FROM verdicts WHERE gen_id = ?').pluck().get(genId) as number;
    if (got !== expected) {
      throw new CorpusError(`generation ${genId} has ${got} verdicts for ${expected} files; not swapping it in (was a crawl running meanwhile?)`);
    }
    db.prepare("UPDATE generations SET status = 'complete', finished_at = ?, stats = ? WHERE id = ?").run(
      new Date().toISOString(),
      JSON.stringify(stats),
      genId,
    );
    db.prepare("INSERT INTO meta (key, value) VALUES ('current_generation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      String(genId),
    );
  }).immediate();
  // Older verdicts are dead weight once the swap is committed; a crash here only leaves garbage the next rebuild removes.
  db.transaction(() => {
    db.prepare('DELETE FROM verdicts WHERE gen_id <> ?').run(genId);
  })();
}

/** The generation readers see, or null before the first rebuild. */
export function currentGeneration(db: Db): GenerationRow | null {
  const id = db.prepare("SELECT value FROM meta WHERE key = 'current_generation'").pluck().get() as string | undefined;
  if (id === undefined) return null;
  const row = db.prepare('SELECT * FROM generations WHERE id = ?').get(Number(id)) as
    | { id: number; status: GenerationRow['status']; started_at: string; finished_at: string | null; config: string; stats: string | null }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    config: JSON.parse(row.config) as Record<string, unknown>,
    stats: row.stats ? (JSON.parse(row.stats) as Record<string, unknown>) : null,
  };
}

/** Like currentGeneration, but a clear error when no rebuild has completed yet. */
export function requireCurrentGeneration(db: Db): GenerationRow {
  const gen = currentGeneration(db);
  if (!gen) throw new CorpusError('the corpus has not been built yet; run `incorpus rebuild` first');
  return gen;
}
