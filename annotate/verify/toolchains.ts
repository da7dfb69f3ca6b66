import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** The toolchains verification knows, with the Debian package that provides each. */
export const TOOLS = {
  iverilog: { versionArgs: ['-V'], pkg: 'iverilog' },
  verilator: { versionArgs: ['--version'], pkg: 'verilator' },
  yosys: { versionArgs: ['-V'], pkg: 'yosys' },
  gcc: { versionArgs: ['--version'], pkg: 'gcc' },
  'g++': { versionArgs: ['--version'], pkg: 'g++' },
  'arm-none-eabi-gcc': { versionArgs: ['--version'], pkg: 'gcc-arm-none-eabi' },
  nvcc: { versionArgs: ['--version'], pkg: 'nvidia-cuda-toolkit (or the CUDA toolkit in /usr/local/cuda)' },
  python3: { versionArgs: ['--version'], pkg: 'python3' },
} as const;

export type ToolName = keyof typeof TOOLS;

/** A tool found on this machine. */
export interface Toolchain {
  name: ToolName;
  /** Absolute path to run (wrappers and pyenv shims resolved). */
  path: string;
  /** First meaningful line of its version output: part of every cache key. */
  version: string;
  /** Directory to expose read-only inside the sandbox when it lives outside /usr. */
  prefix: string | null;
}

const found = new Map<ToolName, Toolchain | null>();

/** Looks a tool up once per process (on PATH); null when missing. */
export function findToolchain(name: ToolName): Toolchain | null {
  if (found.has(name)) return found.get(name)!;
  const tool = probe(name);
  found.set(name, tool);
  return tool;
}

function probe(name: ToolName): Toolchain | null {
  const onPath = which(name);
  if (!onPath) return null;
  let path = onPath;
  if (name === 'python3') {
    // pyenv shims are bash scripts that read $HOME; run the interpreter itself.
    const r = spawnSync(onPath, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 10_000 });
    path = r.status === 0 ? r.stdout.trim() : onPath;
  } else if (name === 'nvcc') {
    path = resolveNvcc(onPath);
  }
  const r = spawnSync(path, TOOLS[name].versionArgs, { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status !== 0) return null;
  const out = `${r.stdout}\n${r.stderr}`;
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  // nvcc prints its release on the second-to-last line; the others on the first.
  const version = (name === 'nvcc' ? lines.find((l) => l.startsWith('Cuda compilation tools')) : lines[0]) ?? 'unknown';
  const real = realpathSync(path);
  const prefix = real.startsWith('/usr/') ? null : dirname(dirname(real));
  return { name, path: real, version, prefix };
}

/** nvcc is often a `exec /usr/local/cuda-X/bin/nvcc` wrapper script; follow it. */
function resolveNvcc(path: string): string {
  const real = realpathSync(path);
  const r = spawnSync('/bin/sh', ['-c', `sed -n 's/^exec \\([^ ]*nvcc\\) .*/\\1/p' "$1" | head -1`, 'sh', real], { encoding: 'utf8' });
  const target = r.stdout.trim();
  return target && isExecutable(target) ? target : real;
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A one-line install hint for a missing tool. */
export function installHint(name: ToolName): string {
  return `${name} not found on PATH; install the Debian package ${TOOLS[name].pkg}`;
}
