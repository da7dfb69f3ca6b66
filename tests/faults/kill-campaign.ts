import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../corpus/migrations.js';
import { createRandom } from '../../pipeline/seeded-random.js';
import { CLI } from '../helpers.js';

/**
 * A SIGKILL fault campaign: each scenario is one CLI command run from a fixed
 * pre-state. An uninterrupted run gives the reference; every trial copies the
 * pre-state, starts the command, SIGKILLs it at a random point of its run,
 * checks the database, reruns the command to completion (the resume) and
 * compares the outcome with the reference.
 */
export interface Scenario {
  name: string;
  /** Builds the pre-state database at `db` (or leaves it absent: a crawl into a new corpus). */
  prepare(db: string, dir: string): Promise<void>;
  /** CLI arguments of the command; `dir` is the trial's own directory (export output goes there). */
  args(db: string, dir: string): string[];
  /** The outcome: one entry per document (a key may repeat: that is a duplicate), value = its content fingerprint. */
  outcome(db: string, dir: string): Array<[string, string]>;
  /** Byte hashes of the produced files (export), compared whole with the reference. */
  files?(dir: string): Record<string, string>;
  /** After a kill: did the command leave partial work behind (so the kill landed mid-work, not at startup)? */
  midWork(db: string, dir: string): boolean;
  /** After a kill, before the rerun: a problem the kill must never cause (null when fine), e.g. the previous generation unreadable. */
  afterKill?(db: string, dir: string): string | null;
}

export interface ScenarioFigures {
  command: string;
  kills: number;
  /** Kills after which the command had written partial state (the rest landed before it wrote anything). */
  midWork: number;
  /** Trials where the command finished before its kill time (redrawn, not counted as kills). */
  finishedFirst: number;
  corrupt: number;
  lost: number;
  duplicated: number;
  /** Documents whose content/verdict differs from the uninterrupted run, or that it does not have. */
  differing: number;
  /** Export directories whose files differ (byte hashes) from the uninterrupted export. */
  differingExports: number;
  /** Problems found right after a kill (afterKill). */
  afterKill: number;
  /** Entries left in the trials' TMPDIR after the rerun (temporary clones of killed runs): reported, not data loss. */
  leftoverTemp: number;
  referenceMs: number;
  resumeMs: number[];
  problems: string[];
}

/** Checks a database the way the campaign counts corruption: integrity, foreign keys, the full schema. */
export function checkDatabase(path: string): string | null {
  if (!existsSync(path)) return null; // killed before it created the corpus: nothing to corrupt
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return `integrity_check: ${String(integrity)}`;
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) return `foreign_key_check: ${fk.length} violations`;
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
    if (!hasMigrations) {
      const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
      return tables === 0 ? null : 'tables without a migrations record';
    }
    const applied = new Set(db.prepare('SELECT name FROM migrations').pluck().all() as string[]);
    // A kill between two migrations leaves a prefix, which the next open completes; a gap is corruption.
    const flags = MIGRATIONS.map((m) => applied.has(m.name));
    const firstMissing = flags.indexOf(false);
    if (firstMissing >= 0 && flags.slice(firstMissing).some(Boolean)) return `migrations applied out of order: ${[...applied].join(', ')}`;
    return null;
  } catch (err) {
    return `cannot open: ${(err as Error).message}`;
  } finally {
    db?.close();
  }
}

interface RunResult {
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI; with `killAfterMs`, SIGKILLs it then (if it still runs). */
function runCommand(args: string[], env: NodeJS.ProcessEnv, killAfterMs?: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, signal, stderr });
    });
  });
}

function commandEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', TMPDIR: tmp, GITHUB_TOKEN: 'ghp_faultcampaign' };
  delete env.INCORPUS_DB;
  return env;
}

function copyPreState(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

/** Compares an outcome with the reference: documents missing, repeated, or different. */
export function compareOutcome(reference: Array<[string, string]>, got: Array<[string, string]>): { lost: number; duplicated: number; differing: number } {
  const ref = new Map(reference);
  const seen = new Map<string, string>();
  let duplicated = 0;
  let differing = 0;
  for (const [k, v] of got) {
    if (seen.has(k)) {
      duplicated++;
      continue;
    }
    seen.set(k, v);
    if (ref.get(k) !== v) differing++;
  }
  const lost = [...ref.keys()].filter((k) => !seen.has(k)).length;
  return { lost, duplicated, differing }; // differing includes documents the reference does not have
}

const sameFiles = (a: Record<string, string>, b: Record<string, string>): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Runs one scenario: reference, then `kills` killed-and-resumed trials. */
export async function runScenario(s: Scenario, kills: number, root: string, seed: string, log: (line: string) => void = () => {}): Promise<ScenarioFigures> {
  const rnd = createRandom(`${seed}:${s.name}`);
  const base = join(root, s.name.replace(/\W+/g, '-'));
  mkdirSync(base, { recursive: true });
  const pre = join(base, 'pre.db');
  await s.prepare(pre, base);
  const refDir = join(base, 'reference');
  mkdirSync(join(refDir, 'tmp'), { recursive: true });
  const refDb = join(refDir, 'c.db');
  copyPreState(pre, refDb);
  const ref = await runCommand(s.args(refDb, refDir), commandEnv(join(refDir, 'tmp')));
  if (ref.code !== 0) throw new Error(`${s.name}: the uninterrupted run failed (${ref.code}): ${ref.stderr}`);
  const refOutcome = s.outcome(refDb, refDir);
  const refFiles = s.files?.(refDir);
  const f: ScenarioFigures = {
    command: s.name, kills: 0, midWork: 0, finishedFirst: 0, corrupt: 0, lost: 0, duplicated: 0, differing: 0, differingExports: 0, afterKill: 0, leftoverTemp: 0,
    referenceMs: Math.round(ref.ms), resumeMs: [], problems: [],
  };
  for (let trial = 0; f.kills < kills; trial++) {
    const dir = join(base, `trial-${trial}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const db = join(dir, 'c.db');
    copyPreState(pre, db);
    const env = commandEnv(join(dir, 'tmp'));
    // A uniform point of the reference run (process start included: a kill can land anywhere).
    const at = Math.round(rnd.next() * ref.ms);
    const killed = await runCommand(s.args(db, dir), env, at);
    if (killed.signal !== 'SIGKILL') {
      f.finishedFirst++;
      if (f.finishedFirst > 20 * kills) throw new Error(`${s.name}: the command keeps finishing before its kill`);
      continue;
    }
    f.kills++;
    const mid = s.midWork(db, dir);
    if (mid) f.midWork++;
    const bad = checkDatabase(db);
    const note = (p: string): void => {
      f.problems.push(`trial ${trial} (kill at ${at} ms): ${p}`);
    };
    if (bad) {
      f.corrupt++;
      note(`corrupt after the kill: ${bad}`);
    }
    const after = s.afterKill?.(db, dir) ?? null;
    if (after) {
      f.afterKill++;
      note(after);
    }
    const resumed = await runCommand(s.args(db, dir), env);
    f.resumeMs.push(Math.round(resumed.ms));
    if (resumed.code !== 0) note(`rerun failed (${resumed.code}): ${resumed.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const badAfter = checkDatabase(db);
    if (badAfter && !bad) {
      f.corrupt++;
      note(`corrupt after the rerun: ${badAfter}`);
    }
    const cmp = compareOutcome(refOutcome, resumed.code === 0 ? s.outcome(db, dir) : []);
    f.lost += cmp.lost;
    f.duplicated += cmp.duplicated;
    f.differing += cmp.differing;
    if (cmp.lost + cmp.duplicated + cmp.differing > 0) note(`outcome: ${JSON.stringify(cmp)}`);
    if (refFiles && !sameFiles(refFiles, s.files!(dir))) {
      f.differingExports++;
      note(`files differ: ${JSON.stringify(Object.keys(s.files!(dir)))}`);
    }
    f.leftoverTemp += leftoverTemp(dir).length;
    log(`  ${s.name}: kill ${f.kills}/${kills} at ${at} ms of ${Math.round(ref.ms)}${mid ? ' (mid-work)' : ''}, resumed in ${Math.round(resumed.ms)} ms`);
    rmSync(dir, { recursive: true, force: true });
  }
  return f;
}

/** Files left in a trial's TMPDIR (temporary clones and the like) — reported, not counted as data loss. */
export function leftoverTemp(dir: string): string[] {
  const tmp = join(dir, 'tmp');
  return existsSync(tmp) ? readdirSync(tmp) : [];
}
