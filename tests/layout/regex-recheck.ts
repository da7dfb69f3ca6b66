import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FoundPattern } from './regex-scan.js';

/** What recheck (makenowjust-labs, the ReDoS checker behind eslint-plugin-redos) says about one pattern. */
export interface Verdict {
  status: 'safe' | 'vulnerable' | 'unknown' | 'invalid';
  /** "exponential", "2nd degree polynomial", a timeout, or the RE2 compile error. */
  detail: string;
  /** An input that makes the pattern backtrack, when recheck found one. */
  attack?: string;
}

const require = createRequire(import.meta.url);
type Check = (source: string, flags: string, params?: Record<string, unknown>) => Promise<{
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { summary: string };
  attack?: { pattern: string };
  error?: { kind: string };
}>;

/** Milliseconds recheck may spend on one pattern before it says "unknown" (which fails the check too). */
const RECHECK_TIMEOUT_MS = 60_000;

/**
 * Seeded and free of wall-clock limits inside the analysis, so a verdict does not
 * depend on how loaded the machine is: with the default 250 ms incubation timeout
 * the fuzzer called two patterns safe on a busy workstation and vulnerable on CI.
 * The fuzzer is then bounded by characters read (incubationLimit), not time.
 */
const RECHECK_PARAMS = { timeout: RECHECK_TIMEOUT_MS, randomSeed: 0, incubationTimeout: null, recallTimeout: -1 } as const;
const PARAMS_KEY = 'seed0-noincubationtimeout-norecall';

/**
 * Judges every pattern: one passed to re2() must compile under RE2 (it is then
 * linear); any other must be proved safe by recheck (`auto` checker: automata
 * theory where it applies, seeded fuzzing otherwise). Verdicts of safe/vulnerable
 * are cached by pattern, flags and recheck version (recheck takes minutes over
 * the whole tree on two cores); a new or changed pattern is always checked.
 */
export async function judgePatterns(patterns: readonly FoundPattern[], cacheFile: string | null): Promise<Map<FoundPattern, Verdict>> {
  const { check } = require('recheck') as { check: Check };
  const version = (require('recheck/package.json') as { version: string }).version;
  const cache = readCache(cacheFile);
  const out = new Map<FoundPattern, Verdict>();
  const todo: FoundPattern[] = [];
  for (const p of patterns) {
    if (p.engine === 'dynamic') out.set(p, { status: 'unknown', detail: 'built at run time from values the check cannot see' });
    else if (p.engine === 're2') out.set(p, compilesUnderRe2(p));
    else if (p.engine === 're2-dynamic') out.set(p, { status: 'safe', detail: 'RE2 (linear by construction; compiled at run time)' });
    else if (cache[key(version, p)]) out.set(p, cache[key(version, p)]!);
    else todo.push(p);
  }
  // Two at a time: recheck's native agent runs each check on its own thread.
  for (let i = 0; i < todo.length; i += 2) {
    await Promise.all(todo.slice(i, i + 2).map(async (p) => {
      const r = await check(p.source, p.flags, RECHECK_PARAMS);
      const v: Verdict = r.status === 'vulnerable'
        ? { status: 'vulnerable', detail: r.complexity?.summary ?? 'super-linear', ...(r.attack ? { attack: r.attack.pattern } : {}) }
        : r.status === 'safe' ? { status: 'safe', detail: r.complexity?.summary ?? 'linear' } : { status: 'unknown', detail: `recheck could not decide (${r.error?.kind ?? 'unknown'})` };
      out.set(p, v);
      if (v.status !== 'unknown') cache[key(version, p)] = v;
    }));
  }
  writeCache(cacheFile, cache);
  return out;
}

function compilesUnderRe2(p: FoundPattern): Verdict {
  const RE2 = require('re2') as new (s: string, f: string) => unknown;
  try {
    new RE2(p.source, p.flags);
    return { status: 'safe', detail: 'RE2 (linear by construction)' };
  } catch (err) {
    return { status: 'invalid', detail: `RE2 cannot compile it: ${(err as Error).message}` };
  }
}

const key = (version: string, p: FoundPattern) => `${version}\u0000${PARAMS_KEY}\u0000${p.flags}\u0000${p.source}`;

function readCache(file: string | null): Record<string, Verdict> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Verdict>;
  } catch {
    return {};
  }
}

function writeCache(file: string | null, cache: Record<string, Verdict>): void {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(cache));
  } catch {
    // A read-only checkout only loses the speed-up.
  }
}

/** Where verdicts are kept between runs: node_modules/.cache, which npm ci clears. */
export function defaultCacheFile(repoRoot: string): string {
  return join(repoRoot, 'node_modules', '.cache', 'incorpus', 'regex-safety.json');
}
