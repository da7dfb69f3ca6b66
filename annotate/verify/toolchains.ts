import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { findOnPath } from './sandbox.js';

/** The toolchains verification knows, with the Debian package that provides each. */
export const TOOLS = {
  iverilog: { versionArgs: ['-V'], pkg: 'iverilog' },
  verilator: { versionArgs: ['--version'], pkg: 'verilator' },
  yosys: { versionArgs: ['-V'], pkg: 'yosys' },
  gcc: { versionArgs: ['--version'], pkg: 'gcc' },
  'g++': { versionArgs: ['--version'], pkg: 'g++' },
  clang: { versionArgs: ['--version'], pkg: 'clang' },
  'clang++': { versionArgs: ['--version'], pkg: 'clang' },
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

/** A persistent memo of version lines by binary identity (path, size, mtime): an unchanged rebuild spawns no `--version`. */
export interface ToolVersionMemo {
  get(key: string): string | null;
  put(key: string, version: string): void;
}
let memo: ToolVersionMemo | null = null;

/** The verify stage installs its store here (the verify cache); tests and tools without one probe every process. */
export function setToolVersionMemo(m: ToolVersionMemo | null): void {
  memo = m;
}

function probe(name: ToolName): Toolchain | null {
  const onPath = findOnPath(name);
  if (!onPath) return null;
  let path = onPath;
  if (name === 'python3') {
    // Debian's interpreter when there is one (the sandbox helper's too): a pyenv shim is a bash
    // script that reads $HOME and costs a second interpreter start to resolve.
    if (existsSync('/usr/bin/python3')) path = '/usr/bin/python3';
    else {
      const r = spawnSync(onPath, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 10_000 });
      path = r.status === 0 ? r.stdout.trim() : onPath;
    }
  } else if (name === 'nvcc') {
    path = resolveNvcc(onPath);
  }
  const real = realpathSync(path);
  const st = statSync(real);
  const key = `${name}\u0000${real}\u0000${st.size}\u0000${st.mtimeMs}`;
  const version = memo?.get(key) ?? versionLine(name, path);
  if (version === null) return null;
  memo?.put(key, version);
  const prefix = real.startsWith('/usr/') ? null : dirname(dirname(real));
  return { name, path: real, version, prefix };
}

/** The first meaningful line of `tool --version` (nvcc: its release line), or null when the tool does not run. */
function versionLine(name: ToolName, path: string): string | null {
  const r = spawnSync(path, TOOLS[name].versionArgs, { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status !== 0) return null;
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return (name === 'nvcc' ? lines.find((l) => l.startsWith('Cuda compilation tools')) : lines[0]) ?? 'unknown';
}

/** nvcc is often a `exec /usr/local/cuda-X/bin/nvcc` wrapper script; follow it. */
function resolveNvcc(path: string): string {
  const real = realpathSync(path);
  const r = spawnSync('/bin/sh', ['-c', `sed -n 's/^exec \\([^ ]*nvcc\\) .*/\\1/p' "$1" | head -1`, 'sh', real], { encoding: 'utf8' });
  const target = r.stdout.trim();
  return target && isExecutable(target) ? target : real;
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
