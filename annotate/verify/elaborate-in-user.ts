import { posix } from 'node:path';
import type { CheckSpec } from './check-specs.js';
import { fillMissing, type Filled, type MissingFacts } from './fill-missing.js';
import { definedUnits, findInstantiations, stripComments } from './hdl-scan.js';
import { resolveContext } from './repo-context.js';
import { nearestTo, type RepoIndex } from './repo-index.js';
import { runCheck, type CheckEnv, type CheckInput, type CheckResult } from './run-check.js';
import type { Toolchain } from './toolchains.js';
import { re2 } from '../linear-regex.js';

/** Where a module was elaborated when its own defaults cannot be (recorded as `elaboratedIn`). */
export interface ElaboratedIn {
  /** The repository file instantiating it with parameter overrides. */
  file: string;
  module: string;
}

/** Files the error lines of a log point at (`path:line: error`, `path:line: ERROR`, `%Error: path:line`). */
function errorFiles(log: string): Set<string> {
  const files = new Set<string>();
  for (const m of log.matchAll(re2(/^(?:%Error: )?([^\s:]+):\d+(?::\d+)?: (?:error|ERROR)\b/gm))) files.add(m[1]!);
  return files;
}

/**
 * A parameterized module whose defaults are placeholders (SERV's
 * `serv_rf_ram #(parameter width=0)`, `depth=32*(32+csr_regs)/width`) cannot
 * elaborate as its own top: Icarus rejects the zero-width replication. The
 * file is then checked where the repository uses it — the nearest file that
 * instantiates one of its modules with parameter overrides, in that file's
 * context — so the module elaborates at real parameters. Only when every
 * error of the first check is in the target itself; null when no such user
 * exists or the target still fails there.
 */
export async function elaborateInUser(target: { path: string; text: string }, first: CheckResult, spec: CheckSpec, tool: Toolchain, index: RepoIndex, env: CheckEnv, facts: MissingFacts): Promise<(Filled & { at: ElaboratedIn }) | null> {
  if (first.status !== 'elaboration-error' || (first.kind !== 'other' && first.kind !== 'type-error')) return null;
  const files = errorFiles(first.log);
  if (files.size === 0 || [...files].some((f) => f !== target.path)) return null;
  const own = definedUnits(stripComments(target.text)).filter((u) => u.kind === 'module').map((u) => u.name);
  const users = own.flatMap((m) => (index.users.get(m) ?? []).filter((f) => f.path !== target.path).map((f) => ({ m, f })));
  const overriding = users.filter(({ m, f }) => {
    const text = index.text(f);
    return text !== null && findInstantiations(stripComments(text)).some((i) => i.module === m && (typeof i.params === 'number' ? i.params > 0 : i.params.length > 0));
  });
  if (overriding.length === 0) return null;
  const pick = nearestTo(overriding.map((u) => ({ ...u, path: u.f.path })), posix.dirname(target.path));
  const userText = index.text(pick.f)!;
  const ctx = resolveContext(pick.f.path, userText, index, true);
  // The target elaborates under the user only if the user's closure reaches it.
  if (!ctx.deps.some((d) => d.path === target.path)) return null;
  const input: CheckInput = { target: { path: pick.f.path, text: userText }, deps: ctx.deps, headers: ctx.headers, includeDirs: ctx.includeDirs, defines: ctx.defines, order: ctx.order };
  const filled = await fillMissing(spec, tool, input, await runCheck(spec, tool, input, env), env, facts);
  if (filled.result.status !== 'compiles' && filled.result.status !== 'compiles-with-blackboxes') return null;
  return { ...filled, at: { file: pick.f.path, module: pick.m } };
}
