import type { Db } from './db.js';
import { CorpusError, InputError, UsageError } from '../pipeline/errors.js';
import { inSnapshotSql, pinRawSnapshot, snapshotArgs, type RawSnapshot } from './raw-snapshot.js';
import { assertNoRunningRebuild, releaseRebuildLock, takeRebuildLock } from './rebuild-lock.js';
import { deleteDeadGenerationRows, deleteGenerationRows } from './generation-rows.js';
import { collectUnreferencedBlobs, type BlobGcResult } from './blobs.js';

export interface GenerationRow {
  id: number;
  /** pruned: complete once, its verdicts removed by retention (the row stays, so `--generation` can say so). */
  status: 'building' | 'complete' | 'abandoned' | 'pruned';
  startedAt: string;
  finishedAt: string | null;
  config: Record<string, unknown>;
  stats: Record<string, unknown> | null;
  /** The raw snapshot it was built from; null for generations built before snapshots were recorded. */
  snapshot: RawSnapshot | null;
}

/** How many complete generations stay explainable and exportable (the current one included). */
export const DEFAULT_KEEP_GENERATIONS = 3;

/**
 * Clears what a killed rebuild left behind: generations still `building` lose
 * their rows and are marked abandoned. Refuses while another rebuild runs (its
 * generation is building, not stale). Returns how many were abandoned.
 */
export function abandonStaleGenerations(db: Db): number {
  const stale = db.transaction(() => {
    assertNoRunningRebuild(db);
    const ids = db.prepare("SELECT id FROM generations WHERE status = 'building'").pluck().all() as number[];
    const mark = db.prepare("UPDATE generations SET status = 'abandoned', finished_at = ? WHERE id = ?");
    for (const id of ids) mark.run(new Date().toISOString(), id);
    return ids;
  }).immediate();
  for (const id of stale) deleteGenerationRows(db, id);
  return stale.length;
}

/**
 * Starts a new generation; readers keep seeing the current one until it is
 * swapped in. In one write transaction: takes the rebuild lock, pins the raw
 * snapshot the generation is built from, and copies the repository facts.
 */
export function beginGeneration(db: Db, config: Record<string, unknown>): number {
  return db.transaction(() => {
    const snapshot = pinRawSnapshot(db);
    const info = db
      .prepare("INSERT INTO generations (status, started_at, config, snapshot_file_id, snapshot_seq) VALUES ('building', ?, ?, ?, ?)")
      .run(new Date().toISOString(), JSON.stringify(config), snapshot.maxFileId, snapshot.seq);
    const genId = Number(info.lastInsertRowid);
    takeRebuildLock(db, genId);
    db.prepare(
      `INSERT INTO generation_repos (gen_id, repo_id, name, source_id, commit_sha, revision_time, stars, forks, fork_parent, license_claim)
       SELECT ?, id, name, source_id, commit_sha, revision_time, stars, forks, fork_parent, license_claim FROM repos`,
    ).run(genId);
    return genId;
  }).immediate();
}

/** What committing a generation cleaned up. */
export interface CommitResult {
  /** Older generations whose verdicts retention removed. */
  pruned: number[];
  blobs: BlobGcResult;
}

/**
 * Swaps a finished generation in, in one transaction, after checking row by row
 * that every file of its snapshot has a verdict and no verdict is for a file
 * outside it; marks complete generations beyond the newest `keep` as pruned.
 * Then removes pruned and abandoned generations' rows, collects blobs nothing
 * references any more, and releases the rebuild lock.
 */
export function commitGeneration(db: Db, genId: number, stats: Record<string, unknown>, keep = DEFAULT_KEEP_GENERATIONS): CommitResult {
  if (!(Number.isInteger(keep) && keep >= 1)) throw new UsageError(`keep-generations must be a whole number >= 1, got ${keep}`);
  const pruned = db.transaction(() => {
    checkVerdictsCoverSnapshot(db, genId);
    db.prepare("UPDATE generations SET status = 'complete', finished_at = ?, stats = ? WHERE id = ?").run(new Date().toISOString(), JSON.stringify(stats), genId);
    db.prepare("INSERT INTO meta (key, value) VALUES ('current_generation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(genId));
    const old = db.prepare("SELECT id FROM generations WHERE status = 'complete' ORDER BY id DESC LIMIT -1 OFFSET ?").pluck().all(keep) as number[];
    for (const id of old) db.prepare("UPDATE generations SET status = 'pruned' WHERE id = ?").run(id);
    return old;
  }).immediate();
  // Garbage from here on: a crash leaves it for the next commit, which removes every pruned or abandoned generation's rows.
  deleteDeadGenerationRows(db);
  const blobs = collectUnreferencedBlobs(db);
  releaseRebuildLock(db, genId);
  return { pruned, blobs };
}

/** Gives up a generation this process was building (a failed rebuild): its rows go, the lock is released. */
export function abandonGeneration(db: Db, genId: number): void {
  const changed = db.transaction(
    () => db.prepare("UPDATE generations SET status = 'abandoned', finished_at = ? WHERE id = ? AND status = 'building'").run(new Date().toISOString(), genId).changes,
  ).immediate();
  // Only a generation that never got swapped in loses its rows (a failure after the swap leaves garbage, not a hole).
  if (changed > 0) deleteGenerationRows(db, genId);
  releaseRebuildLock(db, genId);
}

/** The per-row commit check: one verdict for every file of the snapshot (the primary key forbids two), none for any other. */
function checkVerdictsCoverSnapshot(db: Db, genId: number): void {
  const snapshot = generationSnapshot(db, genId);
  const inSnap = inSnapshotSql('f', snapshot);
  const args = snapshotArgs(snapshot);
  const missing = db
    .prepare(`SELECT r.name || ':' || f.path FROM files f JOIN repos r ON r.id = f.repo_id
              WHERE ${inSnap} AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.gen_id = ? AND v.file_id = f.id) LIMIT 3`)
    .pluck()
    .all(...args, genId) as string[];
  const strays = db
    .prepare(`SELECT count(*) FROM verdicts v WHERE v.gen_id = ? AND NOT EXISTS (SELECT 1 FROM files f WHERE f.id = v.file_id AND ${inSnap})`)
    .pluck()
    .get(genId, ...args) as number;
  if (missing.length > 0 || strays > 0) {
    throw new CorpusError(
      `generation ${genId} does not match its raw snapshot (${missing.length > 0 ? `no verdict for ${missing.join(', ')}${missing.length === 3 ? ', …' : ''}` : ''}` +
        `${missing.length > 0 && strays > 0 ? '; ' : ''}${strays > 0 ? `${strays} verdicts for files outside it` : ''}); not swapping it in`,
    );
  }
}

function generationSnapshot(db: Db, genId: number): RawSnapshot | null {
  const row = db.prepare('SELECT snapshot_file_id AS maxFileId, snapshot_seq AS seq FROM generations WHERE id = ?').get(genId) as
    | { maxFileId: number | null; seq: number | null }
    | undefined;
  return row && row.maxFileId !== null && row.seq !== null ? { maxFileId: row.maxFileId, seq: row.seq } : null;
}

/** The generation readers see, or null before the first rebuild. */
export function currentGeneration(db: Db): GenerationRow | null {
  const id = db.prepare("SELECT value FROM meta WHERE key = 'current_generation'").pluck().get() as string | undefined;
  return id === undefined ? null : getGeneration(db, Number(id));
}

/** Like currentGeneration, but a clear error when no rebuild has completed yet. */
export function requireCurrentGeneration(db: Db): GenerationRow {
  const gen = currentGeneration(db);
  if (!gen) throw new CorpusError('the corpus has not been built yet; run `incorpus rebuild` first');
  return gen;
}

/** Generation `id` if it can still be read (complete and retained), else an error saying why not; without an id, the current one. */
export function requireGeneration(db: Db, id?: number): GenerationRow {
  if (id === undefined) return requireCurrentGeneration(db);
  const gen = getGeneration(db, id);
  const retained = listGenerations(db).filter((g) => g.status === 'complete').map((g) => g.id);
  const have = retained.length > 0 ? `retained: ${retained.join(', ')}` : 'none is complete yet';
  if (!gen) throw new InputError(`no generation ${id} (${have})`);
  if (gen.status !== 'complete') {
    const why = gen.status === 'pruned' ? 'was pruned by retention (rebuild --keep-generations sets how many are kept)' : `is ${gen.status}`;
    throw new InputError(`generation ${id} ${why}; ${have}`);
  }
  return gen;
}

/** Every generation, newest first, without config and stats. */
export function listGenerations(db: Db): Array<Pick<GenerationRow, 'id' | 'status' | 'startedAt' | 'finishedAt'>> {
  return db.prepare('SELECT id, status, started_at AS startedAt, finished_at AS finishedAt FROM generations ORDER BY id DESC').all() as never;
}

export function getGeneration(db: Db, id: number): GenerationRow | null {
  const row = db.prepare('SELECT * FROM generations WHERE id = ?').get(id) as
    | { id: number; status: GenerationRow['status']; started_at: string; finished_at: string | null; config: string; stats: string | null; snapshot_file_id: number | null; snapshot_seq: number | null }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    config: JSON.parse(row.config) as Record<string, unknown>,
    stats: row.stats ? (JSON.parse(row.stats) as Record<string, unknown>) : null,
    snapshot: row.snapshot_file_id !== null && row.snapshot_seq !== null ? { maxFileId: row.snapshot_file_id, seq: row.snapshot_seq } : null,
  };
}

/** Complete generations (the current one included): what retention counts against `--keep-generations`. */
export function countCompleteGenerations(db: Db): number {
  return db.prepare("SELECT count(*) FROM generations WHERE status = 'complete'").pluck().get() as number;
}
