import { posix } from 'node:path';
import type { CheckSpec } from './check-specs.js';
import { resolveContext } from './repo-context.js';
import { nearestTo, type RepoIndex } from './repo-index.js';
import { runCheck, type CheckEnv, type CheckResult } from './run-check.js';
import type { Toolchain } from './toolchains.js';
import { re2 } from '../linear-regex.js';

/** The file name of the wrapper, placed in the includer's directory so its quoted includes resolve as there. */
export const INCLUDER_PREFIX = 'incorpus-includer-prefix.h';

const INCLUDE_LINE = re2(/^[ \t]*#[ \t]*include[ \t]*["<]([^">\n]+)[">][^\n]*$/gm);

/** Whether `#include "inc"` in `includerPath` can name `header`: relative to the includer, or by path suffix (an include dir). */
export function includeReaches(includerPath: string, inc: string, header: string): boolean {
  const name = posix.normalize(inc);
  if (posix.normalize(posix.join(posix.dirname(includerPath), name)) === header) return true;
  return !name.startsWith('..') && (header === name || header.endsWith(`/${name}`));
}

/** The includer's include lines up to and including the one that reaches `header` (relative to it, or by path suffix); null if none does. */
function prefixFor(includerPath: string, text: string, header: string): string | null {
  const lines: string[] = [];
  for (const m of text.matchAll(INCLUDE_LINE)) {
    lines.push(m[0].trim());
    if (includeReaches(includerPath, m[1]!, header)) return lines.length > 1 ? lines.join('\n') : null;
  }
  return null;
}

/**
 * A header that is not self-contained — xv6's `kernel/buf.h` uses `uint`
 * from `kernel/types.h`, which every .c including it includes first — fails
 * checked alone ("unknown type name 'uint'") though it compiles wherever it
 * is used. It is then checked the way the nearest C source of the
 * repository includes it: that source's include lines up to this header, in
 * that source's context (build-file include dirs and defines). Null when no
 * source includes it after other headers, or it fails there too.
 */
export async function headerInIncluder(doc: { path: string; text: string }, first: CheckResult, spec: CheckSpec, tool: Toolchain, index: RepoIndex, env: CheckEnv): Promise<{ result: CheckResult; includer: string } | null> {
  if (!/\.(?:h|hh|hpp|hxx)$/.test(doc.path) || !(first.status === 'syntax-error' || (first.status === 'elaboration-error' && first.kind === 'undeclared-identifier'))) return null;
  const base = posix.basename(doc.path);
  // Cheap filter on the name before reading texts; nearest sources first, a bounded number.
  const cands = index.cSources.filter((f) => f.path !== doc.path);
  for (let read = 0, tries = 0; tries < 20 && read < 400 && cands.length > 0; read++) {
    const f = nearestTo(cands, posix.dirname(doc.path));
    cands.splice(cands.indexOf(f), 1);
    const text = index.text(f);
    if (text === null || !text.includes(base)) continue;
    tries++;
    const prefix = prefixFor(f.path, text, doc.path);
    if (!prefix) continue;
    const wrapper = { path: posix.join(posix.dirname(f.path), INCLUDER_PREFIX), text: `${prefix}\n` };
    const ctx = resolveContext(f.path, wrapper.text, index, false);
    // The include must reach this header as the includer's context resolves it, not another file of the same name.
    if (!ctx.headers.some((h) => h.path === doc.path)) continue;
    const headers = [...ctx.headers.filter((h) => h.path !== doc.path), { path: doc.path, text: doc.text }];
    const result = await runCheck(spec, tool, { target: wrapper, headers, includeDirs: ctx.includeDirs, defines: ctx.defines }, env);
    return result.status === 'compiles' ? { result, includer: f.path } : null;
  }
  return null;
}
