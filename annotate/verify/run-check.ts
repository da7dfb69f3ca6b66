import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../corpus/doc-id.js';
import { verifyCacheKey, type VerifyCache } from './verify-cache-store.js';
import { RECIPE_VERSION, type CheckSpec } from './check-specs.js';
import { classifyRun, type VerifyStatus } from './classify.js';
import type { ProcessPool } from './process-pool.js';
import { DEFAULT_LIMITS, runSandboxed, type SandboxLimits } from './sandbox.js';
import { sanitizeLog } from './sanitize-log.js';
import type { Toolchain } from './toolchains.js';

/** One check's stored outcome (what the cache holds and the annotation shows). */
export interface CheckResult {
  status: VerifyStatus;
  /** Sanitized, bounded log. */
  log: string;
  missing: string[];
  cpuMs: number;
  wallMs: number;
  /** yosys cell count, when a synthesis succeeded. */
  cells?: number;
  /** Equivalence checks: the script's verdict (read from the raw output, which is not stored). */
  equivalent?: boolean;
  /** The wall-clock limit a timeout happened under. */
  timeoutMs?: number;
}

export interface CheckInput {
  target: { path: string; text: string };
  deps?: ReadonlyArray<{ path: string; text: string; sha256?: string }>;
  headers?: ReadonlyArray<{ path: string; text: string; sha256?: string }>;
  includeDirs?: readonly string[];
}

/** Counters of one verify run: cache hits and real tool runs, by tool. */
export interface CheckCounters {
  hits: number;
  runs: number;
  cpuMs: number;
  wallMs: number;
}

export interface CheckEnv {
  pool: ProcessPool;
  cache: VerifyCache;
  limits: Partial<SandboxLimits>;
  counters: CheckCounters;
}

/**
 * Runs a check through the cache: same tool version, flags and input
 * contents → the stored answer, no process. On a miss, materializes the files
 * into a private temp dir, runs the tool sandboxed on the process pool, and
 * stores the classified, sanitized result.
 */
export async function runCheck(spec: CheckSpec, tool: Toolchain, input: CheckInput, env: CheckEnv): Promise<CheckResult> {
  const all = [input.target, ...(input.deps ?? []), ...(input.headers ?? [])];
  const inputs = all.map((f): readonly [string, string] => [f.path, (f as { sha256?: string }).sha256 ?? sha256Hex(Buffer.from(f.text))]);
  const flags = [`recipe:${RECIPE_VERSION}`, ...spec.flags, ...(input.includeDirs ?? []).map((d) => `inc:${d}`), `deps:${(input.deps ?? []).map((d) => d.path).join(',')}`];
  const key = verifyCacheKey({ kind: spec.kind, tool: tool.name, version: tool.version, flags, inputs });
  const cached = env.cache.get<CheckResult>(key);
  // A timeout is re-tried only when the limit has since been raised.
  if (cached && !(cached.status === 'timeout' && (env.limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs) > (cached.timeoutMs ?? 0))) {
    env.counters.hits++;
    return cached;
  }
  const result = await env.pool.run(() => execute(spec, tool, input, env.limits));
  env.counters.runs++;
  env.counters.cpuMs += result.cpuMs;
  env.counters.wallMs += result.wallMs;
  if (result.status === 'timeout') result.timeoutMs = env.limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  env.cache.put(key, { kind: spec.kind, tool: tool.name, version: tool.version }, result);
  return result;
}

async function execute(spec: CheckSpec, tool: Toolchain, input: CheckInput, limits: Partial<SandboxLimits>): Promise<CheckResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'incorpus-verify-'));
  try {
    for (const f of [input.target, ...(input.deps ?? []), ...(input.headers ?? [])]) {
      const p = join(workDir, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.text);
    }
    const args = spec.args(input.target.path, (input.deps ?? []).map((d) => d.path), input.includeDirs ?? []);
    const cmd = spec.viaShell ? '/bin/sh' : tool.path;
    const argv = spec.viaShell ? ['-c', args.join(' '), 'sh', tool.path] : args;
    const run = await runSandboxed({ cmd, args: argv, workDir, readOnly: tool.prefix ? [tool.prefix] : [], limits });
    const { status, missing } = classifyRun(tool.name, run);
    // Diagnostics for tuning limits: one line per real tool run.
    if (process.env.INCORPUS_VERIFY_TRACE) process.stderr.write(`verify-trace ${spec.kind} ${tool.name} ${status} wall=${run.wallMs}ms cpu=${run.cpuMs}ms ${input.target.path}\n`);
    const result: CheckResult = { status, log: sanitizeLog(run.output, [workDir]), missing, cpuMs: run.cpuMs, wallMs: run.wallMs };
    if (spec.kind === 'synth' && status === 'compiles') result.cells = readCellCount(join(workDir, 'synth-stat.txt'));
    if (spec.kind === 'equiv' && /^INCORPUS-EQUIV-(IDENTICAL|MISMATCH)$/m.test(run.output)) result.equivalent = /^INCORPUS-EQUIV-IDENTICAL$/m.test(run.output);
    return result;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The top design's cell count from yosys `stat` (its last "Number of cells" line). */
function readCellCount(file: string): number | undefined {
  try {
    const all = [...readFileSync(file, 'utf8').matchAll(/Number of cells:\s+(\d+)/g)];
    return all.length > 0 ? Number(all[all.length - 1]![1]) : undefined;
  } catch {
    return undefined;
  }
}
