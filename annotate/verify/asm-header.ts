import { posix } from 'node:path';
import { DEPS_FILE, type CheckSpec } from './check-specs.js';
import { includeReaches } from './header-in-includer.js';
import { nearestTo, type RepoIndex } from './repo-index.js';
import { runCheck, type CheckEnv, type CheckResult } from './run-check.js';
import { findToolchain } from './toolchains.js';
import { re2 } from '../linear-regex.js';

const INCLUDE = re2(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm);

/** Whether `text` (at `from`) includes `header` by a quoted include, relative to itself or by path suffix. */
function includes(from: string, text: string, header: string): boolean {
  for (const m of text.matchAll(INCLUDE)) if (includeReaches(from, m[1]!, header)) return true;
  return false;
}

/** The repository files among `files` that include `header` (nearest first, a bounded number read). */
function includersOf(files: RepoIndex['cSources'], header: string, index: RepoIndex, limit = 200): string[] {
  const base = posix.basename(header);
  const cands = files.filter((f) => f.path !== header);
  const found: string[] = [];
  for (let read = 0; read < limit && cands.length > 0; read++) {
    const f = nearestTo(cands, posix.dirname(header));
    cands.splice(cands.indexOf(f), 1);
    const text = index.text(f);
    if (text !== null && text.includes(base) && includes(f.path, text, header)) found.push(f.path);
  }
  return found;
}

// Preprocess only: the target's assembler is rarely installed (RISC-V test macros on an x86 host).
const FLAGS = ['-x', 'assembler-with-cpp', '-E', '-P'];
const PREPROCESS: CheckSpec = {
  kind: 'compile', tool: 'gcc', flags: FLAGS, context: 'c-headers', depsFile: DEPS_FILE, label: 'gcc -x assembler-with-cpp -E',
  args: (t, _d, inc, extra) => [...FLAGS, '-o', '/dev/null', '-fdiagnostics-color=never', '-MD', '-MF', DEPS_FILE, ...(extra?.defines ?? []).map((d) => `-D${d}`), ...inc.flatMap((d) => ['-I', d]), t],
};

/**
 * A `.h` that is not C: an assembler macro header (`#---` comment lines,
 * `.macro`, instructions) that only preprocessed assembly sources (`.S`)
 * include — picorv32's `tests/test_macros.h`. Checked as C it is a syntax
 * error that says nothing about it. When no C source of the repository
 * includes it, some `.S` does, and the C preprocessor in assembler mode
 * reads it, it is `not-checked/assembler-header`: no assembler for its target
 * is assumed. Null otherwise (a genuine C header stays as checked).
 */
export async function assemblerHeader(doc: { path: string; text: string }, first: CheckResult, index: RepoIndex, env: CheckEnv, includeDirs: readonly string[]): Promise<{ result: CheckResult; includer: string } | null> {
  if (!/\.(?:h|inc)$/.test(doc.path) || first.status !== 'syntax-error') return null;
  const asm = includersOf(index.asmSources, doc.path, index);
  if (asm.length === 0 || includersOf(index.cSources, doc.path, index).length > 0) return null;
  const gcc = findToolchain('gcc');
  if (!gcc) return null;
  const r = await runCheck(PREPROCESS, gcc, { target: { path: doc.path, text: doc.text }, includeDirs: [...includeDirs] }, env);
  if (r.status !== 'compiles') return null;
  const log = `an assembler header: included only by preprocessed assembly (${asm.slice(0, 3).join(', ')}${asm.length > 3 ? ', …' : ''}); gcc -x assembler-with-cpp -E reads it; no assembler for its target is assumed`;
  return { result: { ...r, status: 'not-checked', kind: 'assembler-header', log }, includer: asm[0]! };
}
