import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Db } from './db.js';
import { CorpusError } from '../pipeline/errors.js';

/** Who holds the rebuild lock: enough to tell a running rebuild from a killed one. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Process start time in clock ticks since boot (/proc/PID/stat field 22), so a reused pid is not mistaken for the owner. */
  start: string | null;
  genId: number;
  since: string;
}

const KEY = 'rebuild_lock';

/**
 * Takes the rebuild lock (a `meta` row) for generation `genId`, inside the
 * caller's write transaction. One rebuild at a time: a second one would
 * abandon the first one's half-written generation, and blob garbage collection
 * must not race a rebuild that is writing refined blobs before their verdicts.
 * A lock whose owner process is gone (killed) is taken over.
 */
export function takeRebuildLock(db: Db, genId: number): void {
  assertNoRunningRebuild(db);
  const owner: LockOwner = { pid: process.pid, host: hostname(), start: processStart(process.pid), genId, since: new Date().toISOString() };
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(owner));
}

/** Throws when a live process holds the rebuild lock. */
export function assertNoRunningRebuild(db: Db): void {
  const held = readLockOwner(db);
  if (!held || !isOwnerAlive(held)) return;
  throw new CorpusError(
    `another rebuild is running (pid ${held.pid} on ${held.host}, generation ${held.genId}, since ${held.since}); wait for it to finish` +
      (held.host === hostname() ? '' : ` (it runs on another host, so incorpus cannot tell whether it is alive; if it is gone, delete the meta row '${KEY}')`),
  );
}

/** Releases the lock if this process holds it for `genId`. */
export function releaseRebuildLock(db: Db, genId: number): void {
  const held = readLockOwner(db);
  if (held && held.pid === process.pid && held.host === hostname() && held.genId === genId) db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
}

export function readLockOwner(db: Db): LockOwner | null {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string | undefined;
  return v ? (JSON.parse(v) as LockOwner) : null;
}

/** Whether the owner still runs. Another host's process cannot be checked, so it counts as alive. */
export function isOwnerAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = procStat(owner.pid);
  if (stat?.[0] === 'Z') return false; // killed, not yet reaped by its parent
  const start = stat?.[19] ?? null;
  return owner.start === null || start === null || start === owner.start;
}

function processStart(pid: number): string | null {
  return procStat(pid)?.[19] ?? null;
}

/** /proc/PID/stat from field 3 (state) on; the command name before it may hold spaces. Null off Linux. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
