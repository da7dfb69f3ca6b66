import { performance } from 'node:perf_hooks';
import type { Doc } from '../../pipeline/doc.js';
import type { Blackbox } from './blackbox-stubs.js';
import { checkSpecFor, type CheckSpec } from './check-specs.js';
import { isTransient, passes, type StatusKind, type VerifyStatus } from './classify.js';
import { classifyMissing } from './missing-kind.js';
import { fillMissing, type MissingFacts } from './fill-missing.js';
import { emptyGenerated } from './generated-names.js';
import { mcuDeviceFor, type McuDevice } from './mcu-device.js';
import { settleRefinement, type RefinementVerdict } from './refinement-policy.js';
import { resolveContext } from './repo-context.js';
import type { createRepoIndexer, RepoIndex } from './repo-index.js';
import { runCheck, type CheckEnv, type CheckInput, type CheckResult } from './run-check.js';
import type { SandboxLevel } from './sandbox.js';
import { askSecondOpinions, NEEDS_SECOND_OPINION, type Opinion } from './second-opinion.js';
import { synthesizeFor, type SynthResult } from './synth-file.js';
import type { VerifyDocEnv } from './verify-doc-env.js';
import { findToolchain, installHint } from './toolchains.js';
import { findUnsafeInclude } from './unsafe-input.js';
import { fragmentInput } from './include-fragment.js';
import { headerInIncluder } from './header-in-includer.js';
import { elaborateInUser, type ElaboratedIn } from './elaborate-in-user.js';
import { re2 } from '../linear-regex.js';
import { assemblerHeader } from './asm-header.js';
import { linuxKernelHeaders } from './kernel-code.js';
import { isVerilatorTestbench, verilatorRuntimeFlags } from './verilator-runtime.js';

/** What `doc.annotations.verification` holds; export filters on `$.verification.status`. */
export interface Verification {
  status: VerifyStatus;
  kind?: StatusKind;
  tool: string | null;
  version: string | null;
  /** Where the final status comes from. */
  context: 'repository' | 'standalone';
  /** The sandbox every tool of this result ran in. */
  sandbox?: SandboxLevel;
  log: string;
  standalone: { status: VerifyStatus; kind?: StatusKind; log: string };
  repository?: { status: VerifyStatus; kind?: StatusKind; log: string; files: number; includeDirs: number; buildList?: string };
  /** Vendor primitive libraries (yosys's models) the answer used, e.g. ["xilinx"]. */
  vendorModels?: string[];
  /** Modules replaced by black boxes, and why (generated IP, absent submodule, …). */
  blackboxes?: Blackbox[];
  /** Every front end asked when the first said the code is broken. */
  opinions?: Opinion[];
  /** Missing modules/headers, when the answer is missing-dependency or vendor-ip. */
  missing?: string[];
  /** Embedded C: the core and device macro used (`-mcpu`, `-D`). */
  device?: McuDevice;
  /** Checked as an include fragment inside a wrapper module. */
  fragment?: boolean;
  /** C header checked the way this repository source includes it (after the headers it relies on), or the assembly source including an assembler header. */
  includedFrom?: string;
  /** Elaborated inside the repository file that instantiates it with real parameters (its defaults are placeholders). */
  elaboratedIn?: ElaboratedIn;
  synth?: SynthResult;
  /** Proof that refinement changed no code, and which text ships (refinement-policy.ts). */
  refinement?: RefinementVerdict;
}

export type { VerifyDocEnv } from './verify-doc-env.js';

const brief = (r: CheckResult): { status: VerifyStatus; kind?: StatusKind; log: string } => ({ status: r.status, ...(r.kind ? { kind: r.kind } : {}), log: r.log });

/**
 * Verifies one document: standalone first; when that fails, again in
 * repository context (build list, closure, include dirs, defines), then with
 * vendor primitive models and black-box stubs for what is still missing; a
 * file the first tool calls syntactically broken gets a second opinion from
 * another real front end. Every step's answer is recorded. HDL that compiles
 * is synthesized with the top design that covers it.
 */
export async function verifyDoc(doc: Doc, env: VerifyDocEnv): Promise<Verification | null> {
  if (doc.text === null) return null;
  const device = doc.lang === 'c' && doc.domain === 'embedded' ? mcuDeviceFor(includesOf(doc.text), [], []) : null;
  const spec0 = withVerilatorRuntime(checkSpecFor(doc.lang, doc.domain, doc.path, device?.mcpu), doc);
  if (!spec0) return null;
  const tool = findToolchain(spec0.tool);
  const sandbox = env.sandbox ?? 'bwrap';
  const refuse = (status: VerifyStatus, log: string, t: string | null = spec0.tool, version: string | null = null): Verification =>
    ({ status, tool: t, version, context: 'standalone', sandbox, log, standalone: { status, log } });
  if (!tool) {
    env.onMissingTool(spec0.tool, installHint(spec0.tool));
    return refuse('toolchain-missing', installHint(spec0.tool));
  }
  if (env.sandboxError) return refuse('sandbox-unavailable', `no accepted sandbox can start: ${env.sandboxError}`.replace(/\/\S*/g, '<path>').slice(0, 400), tool.name, tool.version);
  const unsafe = findUnsafeInclude(doc.path, doc.text, sandbox !== 'bwrap');
  if (unsafe) return refuse('unsafe-include', `refused: reads a file outside the repository (${unsafe.replace(/["<>]/g, '')})`.replace(/\/\S*/g, '<path>'), tool.name, tool.version);
  const target = { path: doc.path, text: doc.text };
  const standaloneDefines = device?.define ? [device.define] : [];
  const alone = await runCheck(spec0, tool, { target, defines: standaloneDefines }, env);
  const v: Verification = { ...brief(alone), tool: tool.name, version: tool.version, context: 'standalone', sandbox, standalone: brief(alone) };
  if (device) v.device = device;
  let final = alone;
  let input: CheckInput = { target, defines: standaloneDefines };
  let spec = spec0;
  let facts: MissingFacts | null = null;
  let buildValues: string[] = [];
  if (!passes(alone.status) && !isTransient(alone) && spec0.context !== 'none') {
    const t0 = performance.now();
    const index = await env.indexRepo.index(doc.repo, spec0.context);
    const t1 = performance.now();
    const ctx = await contextInput(doc, spec0, index, sandbox);
    // Main-thread work: the repository index (built by the first document that asks) and this file's closure.
    env.counters.jsMs = (env.counters.jsMs ?? 0) + (performance.now() - t1) + (t1 - t0);
    facts = { generated: index.generated, providedByAbsent: ctx.providedByAbsent, unsafe: ctx.unsafe };
    buildValues = ctx.buildValues;
    if (ctx.device) {
      v.device = ctx.device;
      spec = withVerilatorRuntime(checkSpecFor(doc.lang, doc.domain, doc.path, ctx.device.mcpu), doc) ?? spec0;
    }
    // Vendor models and stubs apply even when the repository adds nothing (a top with only primitives).
    if (ctx.useful || alone.missing.length > 0) {
      const repo = ctx.useful ? await runCheck(spec, tool, ctx.input, env) : alone;
      if (ctx.useful) input = ctx.input;
      const filled = await fillMissing(spec, tool, input, repo, env, facts);
      final = filled.result;
      input = filled.input;
      v.repository = { ...brief(repo), files: (input.deps?.length ?? 0) + (input.headers?.length ?? 0), includeDirs: input.includeDirs?.length ?? 0, ...(ctx.buildList ? { buildList: ctx.buildList } : {}) };
      if (filled.vendorModels.length) v.vendorModels = filled.vendorModels;
      if (filled.blackboxes.length) v.blackboxes = filled.blackboxes;
      Object.assign(v, brief(final), { context: 'repository' });
    }
    const under = spec.context === 'hdl' ? await elaborateInUser(target, final, spec, tool, index, env, facts) : null;
    if (under) {
      Object.assign(v, brief(under.result), { context: 'repository', elaboratedIn: under.at });
      if (!under.result.kind) delete v.kind;
      if (under.vendorModels.length) v.vendorModels = under.vendorModels;
      if (under.blackboxes.length) v.blackboxes = under.blackboxes;
      // `input` stays the target's own: synthesis and refinement proofs are of this file, not of its user.
      final = under.result;
    }
    const inC = spec.context === 'c-headers' ? await headerInIncluder(target, final, spec, tool, index, env) : null;
    if (inC) {
      Object.assign(v, brief(inC.result), { context: 'repository', includedFrom: inC.includer });
      if (!inC.result.kind) delete v.kind;
      final = inC.result;
    }
    const inAsm = spec.context === 'c-headers' ? await assemblerHeader(target, final, index, env, input.includeDirs ?? []) : null;
    if (inAsm) {
      Object.assign(v, brief(inAsm.result), { context: 'repository', includedFrom: inAsm.includer });
      final = inAsm.result;
    }
    if (final.status === 'syntax-error' && spec.context === 'hdl') {
      const wrapped = fragmentInput(input);
      const r = wrapped ? await runCheck(spec, tool, wrapped, env) : null;
      if (wrapped && r && passes(r.status)) {
        Object.assign(v, brief(r), { fragment: true });
        final = r;
        input = wrapped;
      }
    }
  }
  if (NEEDS_SECOND_OPINION(final.status)) {
    const primary: Opinion = { tool: spec.label ?? tool.name, version: tool.version, ...brief(final), ...(v.vendorModels ? { vendorModels: v.vendorModels } : {}), ...(v.blackboxes ? { blackboxes: v.blackboxes } : {}) };
    const { opinions, decided } = await askSecondOpinions(doc.lang, doc.domain, primary, input, env, facts ?? { generated: emptyGenerated(), providedByAbsent: [] });
    v.opinions = opinions;
    Object.assign(v, { status: decided.status, log: decided.log, tool: decided.tool, version: decided.version });
    if (decided.kind) v.kind = decided.kind;
    else delete v.kind;
    if (decided.blackboxes) v.blackboxes = decided.blackboxes;
    if (decided.vendorModels) v.vendorModels = decided.vendorModels;
  }
  const needed = passes(v.status) ? [] : buildValuesNamed(buildValues, v.log);
  const kernel = (doc.lang === 'c' || doc.lang === 'cpp') && CODE_ANSWERS.has(v.status) ? linuxKernelHeaders(doc.text) : [];
  if (kernel.length > 0) {
    // Linux kernel code against the host's user-space `linux/*.h`: the kernel build tree is what is missing.
    Object.assign(v, { status: 'missing-dependency', kind: 'kernel-headers', missing: kernel.slice(0, 10) });
  } else if (needed.length > 0) {
    // The build computes these macros from its own outputs (`$(shell wc -c < ../Image)`): a missing input, not broken code.
    Object.assign(v, { status: 'missing-dependency', kind: 'generated-value', missing: needed });
  } else if (v.status === 'missing-dependency' || v.status === 'vendor-ip') {
    v.missing = final.missing.slice(0, 10);
    // A Verilator testbench's `V<top>.h` is the model header Verilator writes, whatever the build files say.
    const vtb = doc.lang === 'cpp' && isVerilatorTestbench(doc.text);
    const k = classifyMissing(final.missing, facts && vtb ? { ...facts, generated: { ...facts.generated, verilator: true } } : facts);
    if (k) v.kind = k;
  } else if (!passes(v.status)) delete v.blackboxes;
  if (env.synth && passes(v.status) && (doc.lang === 'verilog' || doc.lang === 'systemverilog') && !v.fragment && !v.elaboratedIn) {
    const s = await synthesizeFor(doc, input, env);
    if (s) v.synth = s;
  }
  // Decides which text ships: a refinement not proven identical is reverted (redactions never are).
  const refinement = doc.modifiedBy.length > 0 && v.status === 'compiles' ? await settleRefinement(doc, input, env) : null;
  if (refinement) v.refinement = refinement;
  return v;
}

/** Answers about the code itself (not a limit, timeout or refusal): what a missing build tree can explain. */
const CODE_ANSWERS = new Set<VerifyStatus>(['syntax-error', 'elaboration-error', 'unsupported-construct', 'missing-dependency', 'vendor-ip']);

/** The build-time macros a failing log's every error names (gcc: `'IMAGE_SIZE' undeclared`), or none. */
function buildValuesNamed(values: readonly string[], log: string): string[] {
  const names = values.filter((name) => /^\w+$/.test(name));
  const errors = log.split('\n').filter((l) => /\berror\b/i.test(l));
  const named = (l: string): string[] => names.filter((n) => hasWord(l, n));
  // Only when every error is about such a value: a real mistake beside it keeps the file's own status.
  return errors.length > 0 && errors.every((l) => named(l).length > 0) ? [...new Set(errors.flatMap(named))] : [];
}

/** Whether `word` occurs in `line` as a whole word (no word character either side). */
function hasWord(line: string, word: string): boolean {
  const isWordChar = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  for (let i = line.indexOf(word); i >= 0; i = line.indexOf(word, i + 1)) {
    if (!isWordChar(line[i - 1]) && !isWordChar(line[i + word.length])) return true;
  }
  return false;
}

/** The C++ check of a Verilator testbench also sees Verilator's installed runtime headers. */
function withVerilatorRuntime(spec: CheckSpec | null, doc: Doc): CheckSpec | null {
  const extra = spec && doc.lang === 'cpp' ? verilatorRuntimeFlags(doc.text!) : [];
  if (!spec || extra.length === 0) return spec;
  return { ...spec, flags: [...spec.flags, ...extra], args: (t, deps, inc, x) => [...extra, ...spec.args(t, deps, inc, x)] };
}

const includesOf = (text: string): string[] => [...text.matchAll(re2(/^[ \t]*#[ \t]*include[ \t]*["<]([^">\n]+)[">]/gm))].map((m) => m[1]!);

/** The repository context as a check input, and whether it adds anything to the standalone check. */
async function contextInput(doc: Doc, spec: CheckSpec, index: RepoIndex, sandbox: SandboxLevel) {
  const hdl = spec.context === 'hdl';
  const ctx = resolveContext(doc.path, doc.text!, index, hdl);
  // Sibling files are crawled content too: one that reads a host path is left out.
  const safe = <T extends { path: string; text: string }>(files: T[]): T[] => files.filter((f) => !findUnsafeInclude(f.path, f.text, sandbox !== 'bwrap'));
  const deps = safe(ctx.deps);
  const headers = safe(ctx.headers);
  const unsafe = new Set(ctx.deps.filter((d) => !deps.includes(d)).flatMap((d) => index.byPath.get(d.path)?.units.map((u) => u.name) ?? []));
  const kept = new Set([doc.path, ...deps.map((d) => d.path)]);
  let device: McuDevice | null = null;
  const defines = [...ctx.defines];
  if (doc.lang === 'c' && doc.domain === 'embedded') {
    device = mcuDeviceFor([...includesOf(doc.text!), ...headers.flatMap((h) => includesOf(h.text))], index.files.map((f) => f.path), defines);
    if (device?.define) defines.push(device.define);
  }
  const input: CheckInput = { target: { path: doc.path, text: doc.text! }, deps, headers, includeDirs: ctx.includeDirs, defines, ...(hdl ? { order: ctx.order.filter((p) => kept.has(p)) } : {}) };
  const useful = deps.length + headers.length + defines.length > 0 || ctx.includeDirs.length > 1 || !!ctx.buildList;
  return { input, useful, buildList: ctx.buildList, buildValues: ctx.buildValues, providedByAbsent: ctx.providedByAbsent, device, unsafe };
}

