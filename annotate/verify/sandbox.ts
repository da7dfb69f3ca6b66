import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** How a tool run is confined; the strongest level this machine supports is picked once. */
export type SandboxLevel = 'bwrap' | 'unshare' | 'rlimits-only';

/** Resource limits of one tool run. */
export interface SandboxLimits {
  /** Wall-clock limit; the whole process group is killed after it. @default 20000 */
  timeoutMs: number;
  /** RLIMIT_CPU in seconds. @default 30 */
  cpuSeconds: number;
  /** RLIMIT_AS in bytes; nvcc's front end maps ~1.5 GiB of address space. @default 4 GiB */
  memoryBytes: number;
  /** RLIMIT_FSIZE: largest file a tool may write. @default 64 MiB */
  fileBytes: number;
  /** Output kept from stdout+stderr; the rest is drained and dropped. @default 65536 */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = {
  timeoutMs: 20_000,
  cpuSeconds: 30,
  memoryBytes: 4 * 1024 ** 3,
  fileBytes: 64 * 1024 ** 2,
  maxOutputBytes: 65_536,
};

export interface SandboxRun {
  /** Absolute path of the tool. */
  cmd: string;
  args: readonly string[];
  /** Private, writable working directory (the only writable path under bwrap). */
  workDir: string;
  /** Extra directories visible read-only (materialized repository, tool prefix). */
  readOnly?: readonly string[];
  limits?: Partial<SandboxLimits>;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Raw combined output (bounded); sanitize before it goes anywhere. */
  output: string;
  truncated: boolean;
  /**
   * User+system CPU time of the tool and its children, from the shell's
   * `times`: whole clock ticks (10 ms), truncated per run, so a lower bound
   * that undercounts very short runs.
   */
  cpuMs: number;
  wallMs: number;
  level: SandboxLevel;
}

const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
let detected: SandboxLevel | undefined;

/**
 * The strongest confinement that works here: bubblewrap (own mount, net, pid,
 * ipc namespaces; only /usr and the work dirs visible — so `#include
 * "/etc/passwd"` finds nothing), else `unshare -rn` (no network), else rlimits.
 * INCORPUS_SANDBOX=bwrap|unshare|rlimits-only forces a weaker level for tests.
 */
export function detectSandbox(): SandboxLevel {
  if (detected) return detected;
  const forced = process.env.INCORPUS_SANDBOX as SandboxLevel | undefined;
  if (forced === 'bwrap' || forced === 'unshare' || forced === 'rlimits-only') return (detected = forced);
  const ok = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  if (ok('bwrap', [...bwrapArgs('/', []), '/bin/true'])) detected = 'bwrap';
  else if (ok('unshare', ['-rn', '/bin/true'])) detected = 'unshare';
  else detected = 'rlimits-only';
  return detected;
}

/** bubblewrap's view of the machine: /usr read-only, the given dirs, nothing of /etc, /home, /root. */
function bwrapArgs(workDir: string, readOnly: readonly string[]): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', '--ro-bind', '/usr', '/usr'];
  for (const d of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) if (existsSync(`/${d}`)) args.push('--symlink', `usr/${d}`, `/${d}`);
  // The loader cache and alternatives symlinks hold no secrets; tools need them.
  for (const f of ['/etc/ld.so.cache', '/etc/alternatives']) if (existsSync(f)) args.push('--ro-bind', f, f);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  for (const d of readOnly) args.push('--ro-bind', d, d);
  if (workDir !== '/') args.push('--bind', workDir, workDir, '--chdir', workDir);
  for (const [k, v] of Object.entries(scrubbedEnv(workDir))) args.push('--setenv', k, v);
  return args;
}

/** The only environment a tool sees: no tokens, no proxies, no user config. */
function scrubbedEnv(workDir: string): Record<string, string> {
  return { PATH: SAFE_PATH, HOME: workDir, TMPDIR: workDir, LC_ALL: 'C', LANG: 'C' };
}

/**
 * Runs one tool confined: prlimit sets CPU/memory/file-size limits, a shell
 * reports CPU time (`times`), the chosen sandbox isolates it, and the whole
 * process group dies at the wall-clock limit. Never throws for tool failures.
 */
export function runSandboxed(run: SandboxRun): Promise<SandboxResult> {
  const limits = { ...DEFAULT_LIMITS, ...run.limits };
  const level = detectSandbox();
  // The shell runs inside the sandbox: bwrap's pid-namespace init does not pass
  // its children's CPU time up, so `times` must be asked where the tool runs.
  // fd 3 carries the answer; the tool itself never gets it.
  const timed = ['/bin/sh', '-c', '"$@" 3>&-; rc=$?; times >&3; exit $rc', 'sh', run.cmd, ...run.args];
  const inner: string[] =
    level === 'bwrap' ? ['bwrap', ...bwrapArgs(run.workDir, run.readOnly ?? []), ...timed]
    : level === 'unshare' ? ['unshare', '-rn', ...timed]
    : timed;
  const prlimit = [`--as=${limits.memoryBytes}`, `--cpu=${limits.cpuSeconds}`, `--fsize=${limits.fileBytes}`, '--core=0', '--nofile=256'];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('prlimit', [...prlimit, '--', ...inner], {
      cwd: run.workDir,
      env: scrubbedEnv(run.workDir),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    const collect = (b: Buffer): void => {
      if (kept >= limits.maxOutputBytes) return void (truncated = true);
      const part = b.subarray(0, limits.maxOutputBytes - kept);
      if (part.length < b.length) truncated = true;
      chunks.push(part);
      kept += part.length;
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    let times = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => (times += b.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, limits.timeoutMs);
    let settled = false;
    // prlimit missing or not spawnable: a result, not an exception (util-linux provides it).
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ exitCode: null, signal: null, timedOut: false, output: `sandbox: cannot start prlimit: ${err.message}`, truncated: false, cpuMs: 0, wallMs: Math.round(performance.now() - started), level });
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        exitCode: code,
        signal,
        timedOut,
        output: Buffer.concat(chunks).toString('utf8'),
        truncated,
        cpuMs: parseChildTimes(times),
        wallMs: Math.round(performance.now() - started),
        level,
      });
    });
  });
}

/** Parses the children line of POSIX `times` ("0m0.120000s 0m0.030000s"). */
export function parseChildTimes(out: string): number {
  const line = out.trim().split('\n')[1] ?? '';
  let ms = 0;
  for (const m of line.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return Math.round(ms);
}
