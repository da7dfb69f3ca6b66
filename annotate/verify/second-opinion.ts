import type { Blackbox } from './blackbox-stubs.js';
import { secondOpinions, specLabel } from './check-specs.js';
import { passes, PROGRESS, type StatusKind, type VerifyStatus } from './classify.js';
import { fillMissing, type MissingFacts } from './fill-missing.js';
import { runCheck, type CheckEnv, type CheckInput } from './run-check.js';
import { findToolchain } from './toolchains.js';

/** One front end's answer on a file (every opinion asked is recorded). */
export interface Opinion {
  tool: string;
  version: string;
  status: VerifyStatus;
  kind?: StatusKind;
  log: string;
  vendorModels?: string[];
  blackboxes?: Blackbox[];
}

/** Statuses a second front end is asked about: one tool's parser is not the language. */
export const NEEDS_SECOND_OPINION = (s: VerifyStatus): boolean => s === 'syntax-error' || s === 'unsupported-construct';

/**
 * Asks the other real front ends of a language (check-specs secondOpinions,
 * most capable first) with the same context, vendor models and stubs. The
 * first that accepts decides (`compiles` by Verilator, or by yosys -formal for
 * SVA); when none does, the one that got furthest (an elaboration error
 * outranks a parse failure) does, the primary tool on ties.
 */
export async function askSecondOpinions(lang: string, domain: string, primary: Opinion, input: CheckInput, env: CheckEnv, facts: MissingFacts): Promise<{ opinions: Opinion[]; decided: Opinion }> {
  const opinions: Opinion[] = [primary];
  for (const spec of secondOpinions(lang, domain)) {
    const tool = findToolchain(spec.tool);
    if (!tool) continue;
    const first = await runCheck(spec, tool, input, env);
    const filled = await fillMissing(spec, tool, input, first, env, facts);
    const r = filled.result;
    const op: Opinion = {
      tool: specLabel(spec), version: tool.version, status: r.status, ...(r.kind ? { kind: r.kind } : {}), log: r.log,
      ...(filled.vendorModels.length ? { vendorModels: filled.vendorModels } : {}), ...(filled.blackboxes.length ? { blackboxes: filled.blackboxes } : {}),
    };
    opinions.push(op);
    if (passes(op.status)) return { opinions, decided: op };
  }
  let decided = primary;
  for (const op of opinions) if (PROGRESS[op.status] < PROGRESS[decided.status]) decided = op;
  return { opinions, decided };
}
