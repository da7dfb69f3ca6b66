import type { Doc } from '../../pipeline/doc.js';
import { checkSpecFor, synthSpec, YOSYS_SAFE_PATH, type CheckSpec } from './check-specs.js';
import { runCheck, type CheckEnv, type CheckInput, type CheckResult } from './run-check.js';
import { createRepoIndexer, resolveContext } from './repo-context.js';
import { findToolchain, installHint, type Toolchain } from './toolchains.js';
import { findUnsafeInclude } from './unsafe-input.js';
import type { VerifyStatus } from './classify.js';
import { settleRefinement, type RefinementVerdict } from './refinement-policy.js';

/** What `doc.annotations.verification` holds; export filters on `$.verification.status`. */
export interface Verification {
  status: VerifyStatus;
  tool: string | null;
  version: string | null;
  /** Where the final status comes from. */
  context: 'repository' | 'standalone';
  log: string;
  standalone: { status: VerifyStatus; log: string };
  repository?: { status: VerifyStatus; log: string; files: number; includeDirs: number };
  /** Missing modules/headers, when the answer is missing-dependency or vendor-ip. */
  missing?: string[];
  synth?: { status: VerifyStatus; tool: string; version: string; cells?: number; log: string };
  /** Proof that refinement changed no code, and which text ships (refinement-policy.ts). */
  refinement?: RefinementVerdict;
}

export interface VerifyDocEnv extends CheckEnv {
  indexRepo: ReturnType<typeof createRepoIndexer>;
  /** Called once per missing tool with an install hint. */
  onMissingTool(tool: string, hint: string): void;
  /** Run yosys synthesis on HDL that compiles. */
  synth: boolean;
  /** The crawled text of a document a stage refined (null when unknown). */
  loadOriginal(doc: Doc): string | null;
}

/**
 * Verifies one document: standalone first; when that fails only for a missing
 * module or header, again in repository context (the files defining what it
 * needs plus include dirs). Both answers are recorded. HDL that compiles is
 * then synthesized with yosys for a cell count.
 */
export async function verifyDoc(doc: Doc, env: VerifyDocEnv): Promise<Verification | null> {
  if (doc.text === null) return null;
  const spec = checkSpecFor(doc.lang, doc.domain, doc.path);
  if (!spec) return null;
  const tool = findToolchain(spec.tool);
  if (!tool) {
    env.onMissingTool(spec.tool, installHint(spec.tool));
    const log = installHint(spec.tool);
    return { status: 'toolchain-missing', tool: spec.tool, version: null, context: 'standalone', log, standalone: { status: 'toolchain-missing', log } };
  }
  const unsafe = findUnsafeInclude(doc.path, doc.text);
  if (unsafe) {
    const log = `refused: reads a file outside the repository (${unsafe.replace(/["<>]/g, '')})`.replace(/\/\S*/g, '<path>');
    return { status: 'unsafe-include', tool: tool.name, version: tool.version, context: 'standalone', log, standalone: { status: 'unsafe-include', log } };
  }
  const target = { path: doc.path, text: doc.text };
  const alone = await runCheck(spec, tool, { target }, env);
  const v: Verification = {
    status: alone.status, tool: tool.name, version: tool.version, context: 'standalone', log: alone.log,
    standalone: { status: alone.status, log: alone.log },
  };
  let final: CheckResult = alone;
  let ctxInput: CheckInput = { target };
  if ((alone.status === 'missing-dependency' || alone.status === 'vendor-ip') && spec.context !== 'none') {
    const ctx = resolveContext(doc.path, doc.text, env.indexRepo(doc.repo, spec.context));
    // Sibling files are crawled content too: one that reads a host path is left out.
    const safe = <T extends { path: string; text: string }>(files: T[]): T[] => files.filter((f) => !findUnsafeInclude(f.path, f.text));
    const deps = safe(ctx.deps);
    const headers = safe(ctx.headers);
    if (deps.length + headers.length > 0) {
      ctxInput = { target, deps, headers, includeDirs: ctx.includeDirs };
      final = await runCheck(spec, tool, ctxInput, env);
      v.repository = { status: final.status, log: final.log, files: deps.length + headers.length, includeDirs: ctx.includeDirs.length };
      Object.assign(v, { status: final.status, log: final.log, context: 'repository' });
    }
  }
  if (final.missing.length > 0 && final.status !== 'compiles') v.missing = final.missing.slice(0, 10);
  if (env.synth && final.status === 'compiles' && (doc.lang === 'verilog' || doc.lang === 'systemverilog')) {
    v.synth = await synthesize(ctxInput, env);
  }
  // Decides which text ships: a refinement not proven identical is reverted (redactions never are).
  const refinement = doc.modifiedBy.length > 0 && final.status === 'compiles' ? await settleRefinement(doc, ctxInput, env) : null;
  if (refinement) v.refinement = refinement;
  return v;
}

async function synthesize(input: CheckInput, env: VerifyDocEnv): Promise<Verification['synth']> {
  const spec: CheckSpec = synthSpec();
  const yosys: Toolchain | null = findToolchain('yosys');
  if (!yosys) {
    env.onMissingTool('yosys', installHint('yosys'));
    return { status: 'toolchain-missing', tool: 'yosys', version: '', log: installHint('yosys') };
  }
  const paths = [input.target.path, ...(input.deps ?? []).map((d) => d.path), ...(input.includeDirs ?? [])];
  if (!paths.every((p) => YOSYS_SAFE_PATH.test(p))) return { status: 'not-checked', tool: 'yosys', version: yosys.version, log: 'path not safe for a yosys script' };
  const r = await runCheck(spec, yosys, input, env);
  return { status: r.status, tool: 'yosys', version: yosys.version, ...(r.cells !== undefined ? { cells: r.cells } : {}), log: r.log };
}
