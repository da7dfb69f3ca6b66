import type { Doc } from '../../pipeline/doc.js';
import { definedUnits, findInstantiations, stripComments } from './hdl-scan.js';
import type { CheckInput } from './run-check.js';
import { cellsOf, isTestbench, synthesizeFile, type SynthResult } from './synth-tops.js';
import { findToolchain, installHint } from './toolchains.js';
import type { VerifyDocEnv } from './verify-doc-env.js';
import { re2 } from '../linear-regex.js';

export type { SynthResult };

/** The module of a file nobody else in it instantiates (its own top), else its first module. */
function topModuleOf(text: string): string | null {
  const clean = stripComments(text);
  const mods = definedUnits(clean).filter((u) => u.kind === 'module').map((u) => u.name);
  const used = new Set(findInstantiations(clean).map((i) => i.module));
  return mods.find((m) => !used.has(m)) ?? mods[0] ?? null;
}

/**
 * Synthesis for a file that compiles, with the context it compiled in: its
 * dependencies (packages aside), vendor models and stubs become black boxes,
 * so only this file's modules are synthesized. Testbenches are simulated, not
 * synthesized.
 */
export async function synthesizeFor(doc: Doc, input: CheckInput, env: VerifyDocEnv): Promise<SynthResult | null> {
  const yosys = findToolchain('yosys');
  if (!yosys) {
    env.onMissingTool('yosys', installHint('yosys'));
    return { status: 'toolchain-missing', tool: 'yosys', version: '', log: installHint('yosys') };
  }
  const text = doc.text!;
  const units = definedUnits(stripComments(text)).filter((u) => u.kind === 'module').map((u) => u.name);
  const top = topModuleOf(text);
  if (!top) return null;
  if (isTestbench(doc.path, text)) return { status: 'not-applicable', tool: 'yosys', version: yosys.version, log: 'testbench: simulated, not synthesized' };
  const isPackage = (d: { text: string }): boolean => re2(/^\s*package\s/m).test(d.text);
  const deps = input.deps ?? [];
  const synthInput: CheckInput = { ...input, deps: deps.filter(isPackage), libs: [...(input.libs ?? []), ...deps.filter((d) => !isPackage(d))] };
  const run = await synthesizeFile(top, synthInput, { ...env, limits: env.synthLimits ?? env.limits });
  if (!run.result) return { status: 'not-checked', tool: 'yosys', version: run.version, log: run.reason ?? '' };
  const r = run.result;
  const cells = cellsOf(units, r.moduleCells);
  return { status: r.status, ...(r.kind ? { kind: r.kind } : {}), tool: 'yosys', version: run.version, top, ...(cells !== undefined ? { cells } : {}), log: r.log };
}
