import { posix } from 'node:path';
import { stubsFor, STUB_FILE, type Blackbox, type BlackboxReason } from './blackbox-stubs.js';
import type { CheckSpec } from './check-specs.js';
import { isVendorName } from './classify.js';
import { findInstantiations, stripComments } from './hdl-scan.js';
import { generatedIpFor, type GeneratedNames } from './generated-names.js';
import { runCheck, type CheckEnv, type CheckInput, type CheckResult } from './run-check.js';
import type { Toolchain } from './toolchains.js';
import { hasVendorModel, vendorLibraryFor } from './vendor-models.js';

/** What the repository says about names it lacks (from its index and the resolved context). */
export interface MissingFacts {
  generated: GeneratedNames;
  /** Names a build list attributes to a source the repository does not have. */
  providedByAbsent: ReadonlyArray<{ name: string; file: string }>;
  /** Modules whose only definers were left out because they read host files (unsafe-include). */
  unsafe?: ReadonlySet<string>;
}

export interface Filled {
  result: CheckResult;
  input: CheckInput;
  vendorModels: string[];
  blackboxes: Blackbox[];
}

const textsOf = (cur: CheckInput): string[] => [cur.target.text, ...(cur.deps ?? []).map((d) => d.text), ...(cur.headers ?? []).map((h) => h.text)];

const isModuleName = (m: string): boolean => /^[A-Za-z_][\w$]*$/.test(m);

/** Why a module is absent: generated IP, a generated or absent file a build list names, a vendor primitive without a model, or just absent. */
export function whyMissing(module: string, facts: MissingFacts): Omit<Blackbox, 'module'> {
  if (facts.unsafe?.has(module)) return { why: 'unsafe-file' };
  const ip = generatedIpFor(module, facts.generated);
  if (ip) return { why: 'generated-ip', source: ip };
  const absent = facts.providedByAbsent.find((p) => p.name === module);
  if (absent) {
    const base = posix.basename(absent.file);
    const sub = facts.generated.submodules.find((s) => absent.file.includes(`${s}/`) || absent.file.startsWith(`${s}/`));
    const why: BlackboxReason = facts.generated.files.has(base) ? 'generated-file' : sub ? 'absent-submodule' : 'absent-file';
    return { why, source: sub ?? absent.file };
  }
  // A cell yosys models for some family, though not with the ports this design connects (vendor-models.ts).
  if (isVendorName(module) || hasVendorModel(module)) return { why: 'vendor-primitive' };
  return { why: 'absent-module' };
}

/**
 * Fills what a check found missing, in two steps, re-running the same tool:
 * vendor primitive models from yosys's libraries (named in the result), then
 * black-box stubs derived from the instantiations for whatever is still
 * missing — so the rest of the file is checked (`compiles-with-blackboxes`,
 * each stub with its reason). Headers and includes are never stubbed.
 */
export async function fillMissing(spec: CheckSpec, tool: Toolchain, input: CheckInput, first: CheckResult, env: CheckEnv, facts: MissingFacts): Promise<Filled> {
  let result = first;
  let cur = input;
  const vendorModels: string[] = [];
  const blackboxes: Blackbox[] = [];
  if (spec.context !== 'hdl') return { result, input: cur, vendorModels, blackboxes };
  const modules = (r: CheckResult): string[] => r.missing.filter(isModuleName);
  const stubbable = (r: CheckResult): boolean => (r.status === 'missing-dependency' || r.status === 'vendor-ip') && modules(r).length > 0;
  const withVendor = modules(result).filter(hasVendorModel);
  if (stubbable(result) && withVendor.length > 0) {
    const lib = vendorLibraryFor(withVendor, textsOf(cur).flatMap((t) => findInstantiations(stripComments(t))));
    if (lib.libs.length > 0) {
      cur = { ...cur, libs: [...(cur.libs ?? []), ...lib.libs] };
      vendorModels.push(...lib.families);
      result = await runCheck(spec, tool, cur, env);
    }
  }
  // Up to two rounds: a stub's absence can hide the next missing module behind it.
  for (let round = 0; round < 2 && stubbable(result); round++) {
    const names = modules(result).filter((m) => !blackboxes.some((b) => b.module === m));
    const stubs = stubsFor(names, textsOf(cur));
    if (stubs.stubbed.length === 0) break;
    blackboxes.push(...stubs.stubbed.map((m) => ({ module: m, ...whyMissing(m, facts) })));
    const prior = (cur.libs ?? []).find((l) => l.path === STUB_FILE);
    const stubFile = { path: STUB_FILE, text: `${prior?.text ?? ''}${stubs.text}` };
    cur = { ...cur, libs: [...(cur.libs ?? []).filter((l) => l.path !== STUB_FILE), stubFile] };
    result = await runCheck(spec, tool, cur, env);
  }
  if (result.status === 'compiles' && blackboxes.length > 0) result = { ...result, status: 'compiles-with-blackboxes' };
  return { result, input: cur, vendorModels, blackboxes };
}
