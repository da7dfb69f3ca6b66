import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * How a tool run is confined, strongest first. `bwrap` is the only level that
 * hides the host's files; the weaker two run only when asked for explicitly
 * (verify.sandbox / `rebuild --sandbox` / INCORPUS_SANDBOX), are printed at
 * the start of a rebuild and recorded on every result.
 */
export const SANDBOX_LEVELS = ['bwrap', 'unshare', 'rlimits-only'] as const;
export type SandboxLevel = (typeof SANDBOX_LEVELS)[number];

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

export interface SandboxResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Raw combined output (bounded); sanitize before it goes anywhere. */
  output: string;
  truncated: boolean;
  /** User+system CPU of the tool and every process it started (wait4 rusage, µs resolution). */
  cpuMs: number;
  wallMs: number;
  level: SandboxLevel;
  /** The CPU-time limit the run had, ms (to tell an rlimit kill from another). */
  cpuLimitMs?: number;
  /** Set when the sandbox itself failed (could not start, helper died): the tool never answered. */
  sandboxError?: string;
}

/** The uid/gid tools run as: `nobody`, never root, whatever the host user is. */
export const SANDBOX_UID = 65534;
export const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The only environment a tool sees: no tokens, no proxies, no user config. */
export function scrubbedEnv(workDir: string): Record<string, string> {
  return { PATH: SAFE_PATH, HOME: workDir, TMPDIR: workDir, LC_ALL: 'C', LANG: 'C' };
}

/** A command looked up on the caller's PATH (so a test can hide bwrap by narrowing PATH). */
export function findOnPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** The interpreter of the in-sandbox helper: Debian's, under /usr so bubblewrap shows it. */
export function helperPython(): string | null {
  for (const p of ['/usr/bin/python3', '/bin/python3']) if (existsSync(p)) return p;
  return null;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** setpriv arguments for the weaker levels: drop to nobody (when root), no capabilities, no new privileges. */
function dropPrivileges(setpriv: string, inUserNs: boolean): string[] {
  const caps = ['--no-new-privs', '--inh-caps=-all', '--bounding-set=-all'];
  if (isRoot() && !inUserNs) return [setpriv, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', ...caps];
  // An unprivileged user (or root mapped in a user namespace) has no capabilities to keep; no_new_privs still applies.
  return [setpriv, ...(inUserNs ? caps : ['--no-new-privs'])];
}

/**
 * bubblewrap's view of the machine: /usr read-only, the spool dir writable,
 * the given dirs read-only, nothing of /etc (but the loader cache), /home,
 * /root or the project; own user (uid nobody), pid, net, ipc, uts and mount
 * namespaces; every capability dropped; no_new_privs (bwrap always sets it).
 */
export function bwrapArgs(spool: string, readOnly: readonly string[]): string[] {
  const args = ['--unshare-all', '--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID), '--cap-drop', 'ALL',
    '--die-with-parent', '--new-session', '--clearenv', '--ro-bind', '/usr', '/usr'];
  for (const d of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) if (existsSync(`/${d}`)) args.push('--symlink', `usr/${d}`, `/${d}`);
  // The loader cache and alternatives symlinks hold no secrets; tools need them.
  for (const f of ['/etc/ld.so.cache', '/etc/alternatives']) if (existsSync(f)) args.push('--ro-bind', f, f);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  for (const d of readOnly) args.push('--ro-bind', d, d);
  args.push('--bind', spool, spool, '--chdir', spool);
  for (const [k, v] of Object.entries(scrubbedEnv(spool))) args.push('--setenv', k, v);
  return args;
}

/**
 * The command line that starts the helper at a level, or why that level
 * cannot run here (a missing program). The helper itself is appended by the
 * session (`python3 -I -S -c <source>`).
 */
export function sandboxCommand(level: SandboxLevel, spool: string, readOnly: readonly string[]): string[] | { missing: string } {
  if (level === 'bwrap') {
    const bwrap = findOnPath('bwrap');
    return bwrap ? [bwrap, ...bwrapArgs(spool, readOnly)] : { missing: 'bwrap (Debian package bubblewrap)' };
  }
  const setpriv = findOnPath('setpriv');
  if (!setpriv) return { missing: 'setpriv (Debian package util-linux)' };
  if (level === 'rlimits-only') return dropPrivileges(setpriv, false);
  const unshare = findOnPath('unshare');
  if (!unshare) return { missing: 'unshare (Debian package util-linux)' };
  // Root needs no user namespace to unshare the network and can then drop to nobody.
  return isRoot() ? [unshare, '--net', '--ipc', '--uts', ...dropPrivileges(setpriv, false)] : [unshare, '--user', '--map-root-user', '--net', '--ipc', '--uts', ...dropPrivileges(setpriv, true)];
}

/** The levels a request accepts, strongest first: `unshare` accepts bwrap or unshare. */
export function acceptedLevels(weakest: SandboxLevel): SandboxLevel[] {
  return SANDBOX_LEVELS.slice(0, SANDBOX_LEVELS.indexOf(weakest) + 1);
}

/** Parses a level name from config, CLI or environment; null for anything else. */
export function parseSandboxLevel(v: string | undefined): SandboxLevel | null {
  return (SANDBOX_LEVELS as readonly string[]).includes(v ?? '') ? (v as SandboxLevel) : null;
}

/** True when a program answers at all (used to give a clear reason when a level cannot start). */
export function canRun(argv: readonly string[]): boolean {
  return spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 10_000 }).status === 0;
}
