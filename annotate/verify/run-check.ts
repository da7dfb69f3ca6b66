import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256Hex } from '../../corpus/doc-id.js';
import { verifyCacheKey, type VerifyCache } from './verify-cache-store.js';
import { RECIPE_VERSION, type CheckSpec } from './check-specs.js';
import { frontEndLimit } from './tool-limits.js';
import { classifyRun, isTransient, type StatusKind, type VerifyStatus } from './classify.js';
import type { ProcessPool } from './process-pool.js';
import { DEFAULT_LIMITS, type SandboxLevel, type SandboxLimits, type SandboxResult } from './sandbox.js';
import { sanitizeLog } from './sanitize-log.js';
import type { Toolchain } from './toolchains.js';
import { re2 } from '../linear-regex.js';

/** One check's stored outcome (what the cache holds and the annotation shows). */
export interface CheckResult {
  status: VerifyStatus;
  kind?: StatusKind;
  /** Sanitized, bounded log. */
  log: string;
  missing: string[];
  cpuMs: number;
  wallMs: number;
  /** yosys cell count and per-module counts, when a synthesis succeeded. */
  cells?: number;
  moduleCells?: Record<string, number>;
  /** Equivalence checks: the script's verdict (read from the raw output, which is not stored). */
  equivalent?: boolean;
  /** The wall-clock limit a timeout happened under. */
  timeoutMs?: number;
  /** Tool runs behind this answer (2 when a load-dependent outcome was retried). */
  attempts?: number;
}

type InputFile = { path: string; text: string; sha256?: string };

export interface CheckInput {
  target: { path: string; text: string };
  /** Sources passed to the tool (before the target unless `order` says otherwise). */
  deps?: ReadonlyArray<InputFile>;
  /** Files materialized but only reached through include dirs. */
  headers?: ReadonlyArray<InputFile>;
  includeDirs?: readonly string[];
  /** `NAME` / `NAME=VALUE` definitions from build files or the device family. */
  defines?: readonly string[];
  /** Library sources (vendor models, black-box stubs): used only where instantiated. */
  libs?: ReadonlyArray<InputFile>;
  /** Compile order of target + deps, when it is not "deps first". */
  order?: readonly string[];
}

/** Counters of one verify run: cache hits and real tool runs. */
export interface CheckCounters {
  hits: number;
  runs: number;
  cpuMs: number;
  wallMs: number;
  /** Load-dependent outcomes run a second time. */
  retries?: number;
  /** Host-side wall time per run beyond the tool's own (materializing, IPC, cleanup), ms. */
  overheadMs?: number;
  /** Part of overheadMs: making the job dir and writing the input files, ms. */
  materializeMs?: number;
  /** Main-thread time in synchronous context work (repository index, closure, stubs), ms. */
  jsMs?: number;
  /** The longest tool runs so far (wall ms, what ran), at most 5, longest first. */
  longest?: Array<{ wallMs: number; cpuMs: number; what: string }>;
}

export interface CheckEnv {
  pool: ProcessPool;
  cache: VerifyCache;
  limits: Partial<SandboxLimits>;
  counters: CheckCounters;
  /** The sandbox level in use (the stage resolves it; nothing downgrades silently). @default 'bwrap' */
  sandbox?: SandboxLevel;
}

/** The cache key of a check: tool, flags, context, inputs, and the sandbox level and limits it ran under. */
function keyOf(spec: CheckSpec, tool: Toolchain, input: CheckInput, env: CheckEnv): string {
  const all = [input.target, ...(input.deps ?? []), ...(input.headers ?? []), ...(input.libs ?? [])];
  const inputs = all.map((f): readonly [string, string] => [f.path, (f as InputFile).sha256 ?? sha256Hex(Buffer.from(f.text))]);
  const limits = { ...DEFAULT_LIMITS, ...env.limits };
  const flags = [
    `recipe:${RECIPE_VERSION}`, `label:${spec.label ?? ''}`, ...spec.flags,
    ...(input.includeDirs ?? []).map((d) => `inc:${d}`), ...(input.defines ?? []).map((d) => `def:${d}`),
    `deps:${(input.deps ?? []).map((d) => d.path).join(',')}`, `libs:${(input.libs ?? []).map((d) => d.path).join(',')}`, `order:${(input.order ?? []).join(',')}`,
    `sandbox:${env.sandbox ?? 'bwrap'}`, `limits:${limits.timeoutMs}/${limits.cpuSeconds}/${limits.memoryBytes}/${limits.fileBytes}/${limits.maxOutputBytes}`,
  ];
  return verifyCacheKey({ kind: spec.kind, tool: tool.name, version: tool.version, flags, inputs });
}

/**
 * Runs a check through the cache: same tool version, flags, input contents,
 * sandbox level and limits → the stored answer, no process. On a miss, runs
 * the tool in a pool slot's sandbox. A load-dependent outcome (timeout,
 * resource limit, sandbox failure) is run once more and never stored: it is a
 * fact about the machine at that moment, not about the code.
 */
export async function runCheck(spec: CheckSpec, tool: Toolchain, input: CheckInput, env: CheckEnv): Promise<CheckResult> {
  const key = keyOf(spec, tool, input, env);
  const cached = env.cache.get<CheckResult>(key);
  if (cached && !isTransient(cached)) {
    env.counters.hits++;
    return cached;
  }
  let result = await runOnce(spec, tool, input, env);
  if (isTransient(result)) {
    env.counters.retries = (env.counters.retries ?? 0) + 1;
    const again = await runOnce(spec, tool, input, env);
    result = { ...again, attempts: 2 };
  }
  if (result.status === 'timeout') result.timeoutMs = result.kind === 'cpu-limit' ? (env.limits.cpuSeconds ?? DEFAULT_LIMITS.cpuSeconds) * 1000 : env.limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  if (!isTransient(result)) env.cache.put(key, { kind: spec.kind, tool: tool.name, version: tool.version }, result);
  return result;
}

/**
 * A check's predicted cost, for the pool's queue: the bytes the tool reads,
 * weighted by kind — a proof or a synthesis elaborates and optimizes the
 * whole design (on verilog-ethernet a single-file equivalence proof took 28 s
 * of CPU while 50-file compiles took ≤ 6 s). A heuristic for ordering only.
 */
function predictedCost(spec: CheckSpec, input: CheckInput): number {
  const bytes = [input.target, ...(input.deps ?? []), ...(input.headers ?? []), ...(input.libs ?? [])].reduce((n, f) => n + f.text.length, 0);
  return bytes * (spec.kind === 'synth' || spec.kind === 'equiv' ? 20 : 1);
}

async function runOnce(spec: CheckSpec, tool: Toolchain, input: CheckInput, env: CheckEnv): Promise<CheckResult> {
  const result = await env.pool.run(async (slot) => {
    const t0 = performance.now();
    const session = slot.session(env.sandbox ?? 'bwrap', tool.prefix ? [tool.prefix] : []);
    const jobDir = session.makeWorkDir();
    const workDir = paddedRoot(jobDir, input);
    try {
      materialize(workDir, input);
      env.counters.materializeMs = (env.counters.materializeMs ?? 0) + (performance.now() - t0);
      const extra = { defines: input.defines ?? [], libs: (input.libs ?? []).map((l) => l.path), ...(input.order ? { order: input.order } : {}) };
      const args = spec.args(input.target.path, (input.deps ?? []).map((d) => d.path), input.includeDirs ?? [], extra);
      const cmd = spec.viaShell ? '/bin/sh' : tool.path;
      const argv = spec.viaShell ? ['-c', args.join(' '), 'sh', tool.path] : args;
      const run = await session.run({ cmd, args: argv, cwd: workDir, limits: env.limits });
      const r = interpret(spec, tool, run, workDir, input);
      session.discardWorkDir(jobDir);
      env.counters.overheadMs = (env.counters.overheadMs ?? 0) + Math.max(0, performance.now() - t0 - run.wallMs);
      return r;
    } catch (err) {
      rmSync(jobDir, { recursive: true, force: true });
      throw err;
    }
  }, predictedCost(spec, input));
  env.counters.runs++;
  env.counters.cpuMs += result.cpuMs;
  env.counters.wallMs += result.wallMs;
  const top = (env.counters.longest ??= []);
  if (top.length < 5 || result.wallMs > top[top.length - 1]!.wallMs) {
    top.push({ wallMs: result.wallMs, cpuMs: result.cpuMs, what: `${spec.kind} ${spec.label ?? tool.name} ${input.target.path} (${1 + (input.deps?.length ?? 0)} files)` });
    top.sort((a, b) => b.wallMs - a.wallMs).splice(5);
  }
  if (process.env.INCORPUS_VERIFY_TRACE) process.stderr.write(`verify-trace ${spec.kind} ${spec.label ?? tool.name} ${result.status} wall=${result.wallMs}ms cpu=${result.cpuMs}ms ${input.target.path}\n`);
  return result;
}

/**
 * The dir the tool runs in: the job dir padded with empty directories at
 * least as deep as the deepest input, so any `..` the escape check lets
 * through (as many as the including file is deep) still lands inside the job
 * dir, whichever directory the tool resolves it from.
 */
function paddedRoot(jobDir: string, input: CheckInput): string {
  const files = [input.target, ...(input.deps ?? []), ...(input.headers ?? []), ...(input.libs ?? [])];
  const depth = Math.max(0, ...files.map((f) => f.path.split('/').length - 1), ...(input.includeDirs ?? []).map((d) => d.split('/').length)) + 1;
  const root = join(jobDir, ...Array<string>(depth).fill('_'));
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o777);
  return root;
}

/** Writes every input file under the work dir (paths were checked to stay inside by the resolver). */
function materialize(workDir: string, input: CheckInput): void {
  const made = new Set<string>();
  for (const f of [input.target, ...(input.deps ?? []), ...(input.headers ?? []), ...(input.libs ?? [])]) {
    const p = join(workDir, f.path);
    const d = dirname(p);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(p, f.text);
  }
}

/** Classification, the escape check on what the preprocessor read, and a sanitized log. */
function interpret(spec: CheckSpec, tool: Toolchain, run: SandboxResult, workDir: string, input: CheckInput): CheckResult {
  const c = classifyRun(tool.name, run);
  const limit = c.status === 'elaboration-error' ? frontEndLimit(tool.name, run.output, [input.target, ...(input.deps ?? []), ...(input.headers ?? [])]) : null;
  // One front end's limit, not the code's error: unsupported, so another front end is asked (second-opinion.ts).
  if (limit) Object.assign(c, { status: 'unsupported-construct', kind: limit });
  const base = { cpuMs: Math.round(run.cpuMs), wallMs: Math.round(run.wallMs) };
  const escaped = spec.depsFile ? readOutsideFiles(join(workDir, spec.depsFile), workDir, tool.prefix) : [];
  if (escaped.length > 0) {
    // The preprocessor itself opened a file outside the work dir: whatever the log says is about a host file.
    return { status: 'unsafe-include', kind: 'read-outside', log: `refused: the preprocessor opened ${escaped.length} file(s) outside the repository`, missing: [], ...base };
  }
  const result: CheckResult = { status: c.status, ...(c.kind ? { kind: c.kind } : {}), log: run.sandboxError ? `sandbox: ${run.sandboxError}`.replace(/\/\S*/g, '<path>').slice(0, 300) : sanitizeLog(run.output, [workDir]), missing: c.missing, ...base };
  if (spec.kind === 'synth' && c.status === 'compiles') Object.assign(result, readCellCounts(join(workDir, 'synth-stat.txt')));
  if (spec.kind === 'equiv' && /^INCORPUS-EQUIV-(IDENTICAL|MISMATCH)$/m.test(run.output)) result.equivalent = /^INCORPUS-EQUIV-IDENTICAL$/m.test(run.output);
  return result;
}

// System locations a compiler legitimately reads: its own headers and libraries (visible read-only in bwrap).
const SYSTEM_ROOTS = ['/usr/'];

/** Files a dependency list names that lie outside the work dir and the system roots (after resolving `..` and symlinks). */
export function readOutsideFiles(depsFile: string, workDir: string, toolPrefix: string | null): string[] {
  if (!existsSync(depsFile)) return [];
  const text = readFileSync(depsFile, 'utf8');
  // gcc's make rule ("main.o: main.c y.h \\" continued) or iverilog's one path per line.
  const paths = text.replace(/\\\n/g, ' ').split('\n').flatMap((line) => {
    const rule = /^\S+?:(?:\s|$)/.exec(line);
    return rule ? line.slice(rule[0].length).trim().split(/(?<!\\)\s+/) : [line.trim()];
  }).filter(Boolean);
  const root = realpathSync(workDir) + sep;
  const allowed = [...SYSTEM_ROOTS, ...(toolPrefix ? [toolPrefix + sep] : [])];
  return paths.filter((p0) => {
    const p = p0.replace(/\\ /g, ' ');
    let abs = resolve(workDir, p);
    try {
      abs = realpathSync(abs);
    } catch {
      /* not there (any more): judge the path as written */
    }
    return !(abs + sep).startsWith(root) && !allowed.some((a) => abs.startsWith(a));
  });
}

/** Cell counts from yosys `stat`: the design total (its last count) and one per module. */
function readCellCounts(file: string): Pick<CheckResult, 'cells' | 'moduleCells'> {
  try {
    const text = readFileSync(file, 'utf8');
    const moduleCells: Record<string, number> = {};
    for (const m of text.matchAll(re2(/^=== (\S+) ===[\s\S]*?Number of cells:\s+(\d+)/gm))) moduleCells[m[1]!.replace(/^\\/, '')] = Number(m[2]);
    const all = [...text.matchAll(/Number of cells:\s+(\d+)/g)];
    return all.length > 0 ? { cells: Number(all[all.length - 1]![1]), moduleCells } : {};
  } catch {
    return {};
  }
}
