import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HELPER_SOURCE } from './sandbox-helper.js';
import { DEFAULT_LIMITS, helperPython, sandboxCommand, scrubbedEnv, type SandboxLevel, type SandboxLimits, type SandboxResult } from './sandbox.js';

/** One tool run inside a session: an absolute program, its arguments and a job dir from makeWorkDir. */
export interface SandboxJob {
  cmd: string;
  args: readonly string[];
  cwd: string;
  limits?: Partial<SandboxLimits>;
}

/**
 * One long-lived sandbox with the helper inside: checks run one after the
 * other, each in its own job dir, process group and rlimits. The spool dir is
 * the only writable path shared with the host; a job dir is emptied by the
 * caller before the next job starts, so no check sees another's files.
 */
export interface SandboxSession {
  readonly level: SandboxLevel;
  /** A fresh job dir in the spool (same path inside and outside the sandbox). */
  makeWorkDir(): string;
  /**
   * Takes a job dir out of the sandbox's sight at once (a rename into a trash
   * dir that is not mounted) and deletes it in the background: the next check
   * never sees it, and nobody waits for a recursive delete.
   */
  discardWorkDir(dir: string): void;
  run(job: SandboxJob): Promise<SandboxResult>;
  /** Wall time spent starting the sandbox so far (ms), for the per-check overhead figure. */
  readonly startMs: number;
  close(): void;
}

/** Extra wall time the host waits beyond a job's own limit before it kills the whole session. */
const HOST_GRACE_MS = 10_000;

/** Where spools live: a tmpfs (/dev/shm) when there is one — checks write and delete many small files. */
function spoolBase(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Spool dirs of open sessions, removed when the process exits (sessions are unref'd while idle). */
const openSpools = new Set<string>();
let exitHook = false;

export interface SessionOptions {
  /** Directories visible read-only inside (a tool prefix outside /usr). @default none */
  readOnly?: readonly string[];
  /** Use this directory as the spool instead of a fresh temp dir (kept on close). @default a temp dir */
  spool?: string;
}

export function openSandboxSession(level: SandboxLevel, opts: SessionOptions = {}): SandboxSession {
  const readOnly = opts.readOnly ?? [];
  const ownSpool = !opts.spool;
  const spool = opts.spool ?? mkdtempSync(join(spoolBase(), 'incorpus-sbx-'));
  const trash = `${spool}.trash`;
  // Traversable by the unprivileged uid the weaker levels run tools as.
  chmodSync(spool, ownSpool ? 0o755 : 0o777);
  if (ownSpool) {
    openSpools.add(spool);
    openSpools.add(trash);
  }
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of openSpools) rmSync(d, { recursive: true, force: true });
    });
  }
  let child: ChildProcess | null = null;
  let failure: string | null = null;
  let stderr = '';
  let buffered = '';
  let jobs = 0;
  let startMs = 0;
  let pending: ((answer: Record<string, unknown>) => void) | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  const setRef = (on: boolean): void => {
    if (!child) return;
    for (const s of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void; unref?: () => void } | null>) (on ? s?.ref : s?.unref)?.call(s);
  };
  const settle = (answer: Record<string, unknown>): void => {
    const p = pending;
    pending = null;
    setRef(false);
    p?.(answer);
  };
  const kill = (): void => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    child = null;
  };
  const start = (): ChildProcess | null => {
    const python = helperPython();
    const cmd = sandboxCommand(level, spool, readOnly);
    if (!python) failure = 'python3 not found under /usr (the sandbox helper needs the Debian package python3)';
    else if (!Array.isArray(cmd)) failure = `${cmd.missing} not found on PATH`;
    if (failure || !python || !Array.isArray(cmd)) return null;
    const c = spawn(cmd[0]!, [...cmd.slice(1), python, '-I', '-S', '-c', HELPER_SOURCE], { cwd: spool, env: scrubbedEnv(spool), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    c.stdout!.setEncoding('utf8');
    c.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        settle(JSON.parse(line) as Record<string, unknown>);
      }
    });
    c.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    c.stdin!.on('error', () => {});
    c.on('error', (err) => {
      failure = `cannot start ${level} sandbox: ${err.message}`;
      child = null;
      settle({ error: failure });
    });
    c.on('exit', (code, signal) => {
      if (child === c) child = null;
      settle({ error: `${level} sandbox exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' ')}` : ''}` });
    });
    return c;
  };

  const runOne = (job: SandboxJob): Promise<SandboxResult> => {
    const limits = { ...DEFAULT_LIMITS, ...job.limits };
    const fresh = !child;
    if (fresh) child = start();
    const t0 = performance.now();
    const base = { exitCode: null, signal: null, timedOut: false, output: '', truncated: false, cpuMs: 0, level };
    if (!child) return Promise.resolve({ ...base, wallMs: 0, sandboxError: failure ?? 'sandbox unavailable' });
    const c = child;
    setRef(true);
    jobs++;
    return new Promise<SandboxResult>((resolve) => {
      const guard = setTimeout(() => {
        kill();
        settle({ error: `sandbox did not answer within ${limits.timeoutMs + HOST_GRACE_MS} ms; session killed`, timedOut: true });
      }, limits.timeoutMs + HOST_GRACE_MS);
      pending = (a) => {
        clearTimeout(guard);
        const hostMs = performance.now() - t0;
        if (fresh) startMs += Math.max(0, hostMs - Number(a.wallMs ?? 0));
        if (typeof a.error === 'string') {
          if (!a.timedOut) kill();
          return resolve({ ...base, timedOut: a.timedOut === true, wallMs: Math.round(hostMs), sandboxError: a.error });
        }
        resolve({
          exitCode: (a.exit as number | null) ?? null,
          signal: (a.signal as string | null) ?? null,
          timedOut: a.timedOut === true,
          output: String(a.out ?? ''),
          truncated: a.truncated === true,
          cpuMs: Number(a.cpuMs ?? 0),
          wallMs: Number(a.wallMs ?? 0),
          level,
          cpuLimitMs: limits.cpuSeconds * 1000,
        });
      };
      const request = {
        cwd: job.cwd,
        argv: [job.cmd, ...job.args],
        env: scrubbedEnv(job.cwd),
        timeout: limits.timeoutMs / 1000,
        as: limits.memoryBytes,
        cpu: limits.cpuSeconds,
        fsize: limits.fileBytes,
        nofile: 256,
        maxOut: limits.maxOutputBytes,
      };
      c.stdin!.write(`${JSON.stringify(request)}\n`);
    });
  };

  return {
    level,
    get startMs() {
      return startMs;
    },
    discardWorkDir(dir) {
      if (!ownSpool) return void rmSync(dir, { recursive: true, force: true });
      mkdirSync(trash, { recursive: true });
      const gone = join(trash, basename(dir));
      renameSync(dir, gone);
      void rm(gone, { recursive: true, force: true }).catch(() => {});
    },
    makeWorkDir() {
      const dir = join(spool, `j${jobs}-${Math.random().toString(36).slice(2, 8)}`);
      mkdirSync(dir);
      chmodSync(dir, 0o777);
      return dir;
    },
    run(job) {
      const next = chain.then(() => runOne(job));
      chain = next.catch(() => {});
      return next;
    },
    close() {
      child?.stdin?.end();
      kill();
      if (ownSpool) {
        rmSync(spool, { recursive: true, force: true });
        rmSync(trash, { recursive: true, force: true });
        openSpools.delete(spool);
        openSpools.delete(trash);
      }
    },
  };
}

const probes = new Map<string, Promise<string | null>>();

/**
 * Whether a level can run here: starts a session and runs /bin/true in it.
 * Null when it works, else the reason. Asked once per level and PATH.
 */
export function probeSandbox(level: SandboxLevel): Promise<string | null> {
  const key = `${level}\u0000${process.env.PATH ?? ''}`;
  let p = probes.get(key);
  if (!p) {
    p = (async () => {
      const s = openSandboxSession(level);
      try {
        const r = await s.run({ cmd: '/bin/true', args: [], cwd: s.makeWorkDir(), limits: { timeoutMs: 10_000 } });
        return r.sandboxError ?? (r.exitCode === 0 ? null : `/bin/true exited ${r.exitCode ?? r.signal}`);
      } finally {
        s.close();
      }
    })();
    probes.set(key, p);
  }
  return p;
}

/** The strongest level among `accepted` that runs here, or every level's reason for failing. */
export async function resolveSandbox(accepted: readonly SandboxLevel[]): Promise<{ level: SandboxLevel } | { error: string }> {
  const reasons: string[] = [];
  for (const level of accepted) {
    const why = await probeSandbox(level);
    if (why === null) return { level };
    reasons.push(`${level}: ${why}`);
  }
  return { error: reasons.join('; ') };
}

/** One tool run in a session of its own (tests, one-off checks); workDir is bound writable. */
export async function runSandboxed(run: { cmd: string; args: readonly string[]; workDir: string; level: SandboxLevel; readOnly?: readonly string[]; limits?: Partial<SandboxLimits> }): Promise<SandboxResult> {
  const s = openSandboxSession(run.level, { readOnly: run.readOnly ?? [], spool: run.workDir });
  try {
    return await s.run({ cmd: run.cmd, args: run.args, cwd: run.workDir, limits: run.limits ?? {} });
  } finally {
    s.close();
  }
}
