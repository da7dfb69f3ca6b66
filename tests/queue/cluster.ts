import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI } from '../helpers.js';

/** A real `incorpus worker` child in its own process group (so a test can SIGKILL the whole group). */
export interface TestWorker {
  readonly pid: number;
  log(): string;
  /** SIGKILL to the worker's whole process group, at once. */
  killGroup(): Promise<void>;
  /** SIGTERM and wait: a graceful stop. */
  stop(): Promise<void>;
}

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', ...extra };
  delete env.INCORPUS_DB;
  return env;
};

/**
 * Short stall settings by default: a dead worker's job is back within ~3 s, not the production 2 minutes.
 * `stall: 'production'` keeps the worker's own defaults (benchmarks: a 2 s lock starves when more
 * workers than cores share the machine).
 */
export function startWorker(queueUrl: string, env: Record<string, string> = {}, stall: 'short' | 'production' = 'short'): TestWorker {
  const stallArgs = stall === 'short' ? ['--lock-duration', '2000', '--stalled-interval', '1000'] : [];
  const child: ChildProcess = spawn(process.execPath, [CLI, 'worker', '--queue', queueUrl, ...stallArgs, '--threads', '1'], {
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = once(child, 'exit');
  return {
    pid: child.pid!,
    log: () => log,
    async killGroup() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the CLI without blocking the test (workers must run meanwhile). */
export async function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, stdout, stderr };
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/**
 * One hash over everything a run produced: every export file (the rebuild's
 * finish time in manifest.json, the card and the report masked: the only
 * wall-clock fact) and every verdict of the current generation.
 */
export function runHash(dbPath: string, outDir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(outDir).sort()) {
    const p = join(outDir, name);
    if (!statSync(p).isFile()) continue;
    const text = readFileSync(p).toString('latin1').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>')
      // The corpus report (index.html) says when the generation was rebuilt, to the minute.
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, '<time>');
    h.update(`${name}\0${sha(text)}\n`);
  }
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare(
      `SELECT f.doc_id, f.path, v.verdict, v.stage, v.reason, v.details, v.out_sha256 FROM verdicts v JOIN files f ON f.id = v.file_id
       WHERE v.gen_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'current_generation') ORDER BY f.id`,
    ).all();
    h.update(JSON.stringify(rows));
  } finally {
    db.close();
  }
  return h.digest('hex');
}

/** Every live descendant of `pid` (from /proc), to check that a killed worker's sandbox children died with it. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, pp] of parent) if (pp === p) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** True while process `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Every verdict row of the current generation, as JSON (benchmarks compare queued and in-process runs with it). */
export function currentVerdicts(db: string): string {
  const g = new Database(db, { readonly: true });
  try {
    return JSON.stringify(g.prepare(
      `SELECT file_id, verdict, stage, reason, details FROM verdicts WHERE gen_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'current_generation') ORDER BY file_id`,
    ).all());
  } finally {
    g.close();
  }
}
