import { posix } from 'node:path';
import type { CheckSpec } from './check-specs.js';
import { YOSYS_SAFE_PATH } from './check-specs.js';
import { runCheck, type CheckEnv, type CheckInput } from './run-check.js';
import { findToolchain, type ToolName } from './toolchains.js';

/** Outcome of proving that a refinement changed no code. */
export interface RefinementProof {
  status: 'identical' | 'mismatch' | 'not-checked';
  tool: string;
  version: string;
  log: string;
}

const SAME = 'INCORPUS-EQUIV-IDENTICAL';
const DIFF = 'INCORPUS-EQUIV-MISMATCH';
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * C/C++: compile original and refined to objects with the same compiler and
 * flags and compare their `.text` sections byte for byte (`__FILE__`/`__LINE__`
 * may move .rodata, never code). The original sits beside the refined file so
 * relative includes resolve the same.
 */
function cObjectSpec(tool: ToolName, flags: readonly string[]): CheckSpec {
  return {
    kind: 'equiv',
    tool,
    flags: ['objcopy-text', ...flags],
    context: 'c-headers',
    viaShell: true,
    args: (target, _deps, inc) => {
      const orig = originalPath(target);
      const cc = (src: string, out: string): string => `"$1" ${flags.map(q).join(' ')} -c -O1 -w ${inc.map((d) => `-I ${q(d)}`).join(' ')} ${q(src)} -o ${out}`;
      return [`${cc(orig, 'a.o')} && ${cc(target, 'b.o')} && objcopy -O binary -j .text a.o a.bin && objcopy -O binary -j .text b.o b.bin && if cmp -s a.bin b.bin; then echo ${SAME}; else echo ${DIFF}; fi`];
    },
  };
}

/** Verilog: yosys's elaborated design (proc; opt_clean) of each, source-location attributes removed, compared as RTLIL. */
function yosysDesignSpec(): CheckSpec {
  return {
    kind: 'equiv',
    tool: 'yosys',
    flags: ['rtlil-nosrc'],
    context: 'hdl',
    viaShell: true,
    args: (target, deps, inc) => {
      const design = (src: string, out: string): string =>
        `"$1" -q -p 'read_verilog -sv ${inc.map((d) => `-I${d}`).join(' ')} ${[...deps, src].join(' ')}; hierarchy -auto-top; proc; opt_clean; attrmap -remove src; attrmap -modattr -remove src; write_rtlil ${out}'`;
      return [`${design(originalPath(target), 'a.il')} && ${design(target, 'b.il')} && if cmp -s a.il b.il; then echo ${SAME}; else echo ${DIFF}; fi`];
    },
  };
}

/** Where the original text is materialized: beside the refined file. */
export function originalPath(target: string): string {
  return posix.join(posix.dirname(target), `incorpus-original.${posix.basename(target)}`);
}

/** The proof for a language, or null when none applies. */
function proofSpec(lang: string, domain: string): CheckSpec | null {
  if (lang === 'c') return domain === 'embedded' ? cObjectSpec('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-xc', '-std=gnu11']) : cObjectSpec('gcc', ['-xc', '-std=gnu17']);
  if (lang === 'cpp') return cObjectSpec('g++', ['-xc++', '-std=gnu++17']);
  if (lang === 'verilog' || lang === 'systemverilog') return yosysDesignSpec();
  return null;
}

/**
 * Proves a refinement (normalization) changed no code, using the context in
 * which the refined file compiled. A mismatch is a refinement bug, reported.
 */
export async function proveRefinement(lang: string, domain: string, original: string, input: CheckInput, env: CheckEnv): Promise<RefinementProof | null> {
  const spec = proofSpec(lang, domain);
  if (!spec || input.target.path.endsWith('.h') || input.target.path.endsWith('.vh') || input.target.path.endsWith('.svh')) return null;
  const tool = findToolchain(spec.tool);
  if (!tool) return null;
  const paths = [input.target.path, ...(input.deps ?? []).map((d) => d.path), ...(input.includeDirs ?? [])];
  if (spec.tool === 'yosys' && !paths.every((p) => YOSYS_SAFE_PATH.test(p))) return null;
  const withOriginal: CheckInput = { ...input, headers: [...(input.headers ?? []), { path: originalPath(input.target.path), text: original }] };
  const r = await runCheck(spec, tool, withOriginal, env);
  const status = r.equivalent === true ? 'identical' : r.equivalent === false ? 'mismatch' : 'not-checked';
  return { status, tool: tool.name, version: tool.version, log: status === 'not-checked' ? r.log : '' };
}
