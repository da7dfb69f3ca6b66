import { YOSYS_SAFE_DEFINE, YOSYS_SAFE_PATH, type CheckSpec } from './check-specs.js';
import type { StatusKind, VerifyStatus } from './classify.js';
import { runCheck, type CheckEnv, type CheckInput, type CheckResult } from './run-check.js';
import { findToolchain, installHint } from './toolchains.js';
import { re2 } from '../linear-regex.js';

/** The synthesis answer recorded on a file. */
export interface SynthResult {
  status: VerifyStatus | 'not-applicable';
  kind?: StatusKind;
  tool: string;
  version: string;
  /** The module synthesized as top (this file's own top module). */
  top?: string;
  /** Cells of this file's own modules (largest parameterization each); its submodules are black boxes. */
  cells?: number;
  log: string;
}

// Testbenches are simulated, not synthesized: by path (tb/, test/, sim/, *_tb) or by shape (no ports, initial blocks).
const TB_PATH = /(?:^|\/)(?:tb|tbs|test|tests|testbench|sim|bench)(?:\/|$)|(?:^|\/|_)tb[_.]|_tb\.s?v$|testbench|_test\.s?v$/i;
export function isTestbench(path: string, text: string): boolean {
  if (TB_PATH.test(path)) return true;
  return /\binitial\b/.test(text) && /\$(?:finish|stop|display|dumpfile)\b/.test(text) && !re2(/^\s*module\s+\w+\s*(?:#\s*\([\s\S]*?\))?\s*\(\s*(?:input|output|inout)/m).test(text);
}

/**
 * yosys synthesis of one file's modules with everything it instantiates read
 * as black boxes (`read_verilog -lib`), in compile order (`define guards
 * hold): every module is synthesized once — in its own file's run — never
 * again inside every design that contains it (the same CPU core inside 24
 * SoC closures was issue 15's 118 s). MetRex's recipe otherwise:
 * `hierarchy -top; synth; stat`.
 */
export function moduleSynthSpec(top: string): CheckSpec {
  return {
    kind: 'synth',
    tool: 'yosys',
    flags: ['per-module', 'defer-libs', `hierarchy -top ${top}`, 'synth', 'stat'],
    context: 'hdl',
    args: (t, deps, inc, extra) => {
      const libs = new Set(extra?.libs ?? []);
      const order = extra?.order ?? [...deps, t];
      const opts = [...(extra?.defines ?? []).map((d) => `-D${d}`), ...inc.map((d) => `-I${d}`)].join(' ');
      // yosys takes paths and -I/-D unquoted here; synthesizeFile only passes YOSYS_SAFE_PATH/DEFINE values.
      // Black boxes are read -defer: only preprocessed and parsed, elaborated by `hierarchy` at the parameters used, as
      // port lists. Without it yosys elaborates every body it then throws away: 8 s of CPU for a 37-file FPGA top's
      // closure (verilog-ethernet KC705) against 0.1 s, and 2 s more for Xilinx's cells_xtra.v; the cells are the same.
      const read = (f: string): string => `read_verilog ${libs.has(f) ? '-defer -lib ' : ''}-sv ${opts} "${f}"`;
      const first = [...libs].filter((l) => !order.includes(l));
      const cmds = [...(first.length > 0 ? [`read_verilog -defer -lib -sv ${opts} ${first.map((f) => `"${f}"`).join(' ')}`] : []), ...order.map(read)];
      return ['-q', '-p', `${cmds.join('; ')}; hierarchy -top ${top}; synth; tee -q -o synth-stat.txt stat`];
    },
  };
}

/** Module names yosys reports, back to their source name (`$paramod$…\name`, `$paramod\name\W=8`). */
const baseModule = (n: string): string => /^\$paramod(?:\$[0-9a-f]+)?\\([^\\]+)/.exec(n)?.[1] ?? n.replace(/^\\/, '');

/** This file's share of a design's cells: its own modules, the largest parameterization of each. */
export function cellsOf(units: readonly string[], moduleCells: Record<string, number> | undefined): number | undefined {
  if (!moduleCells) return undefined;
  const best = new Map<string, number>();
  for (const [name, n] of Object.entries(moduleCells)) {
    const b = baseModule(name);
    if (units.includes(b)) best.set(b, Math.max(best.get(b) ?? 0, n));
  }
  return best.size > 0 ? [...best.values()].reduce((a, b) => a + b, 0) : undefined;
}

/** Runs the per-file synthesis (cached across rebuilds like every check), or says why it cannot. */
export async function synthesizeFile(top: string, input: CheckInput, env: CheckEnv): Promise<{ result: CheckResult | null; version: string; reason?: string }> {
  const yosys = findToolchain('yosys');
  if (!yosys) return { result: null, version: '', reason: installHint('yosys') };
  const paths = [input.target.path, ...(input.deps ?? []).map((d) => d.path), ...(input.libs ?? []).map((d) => d.path), ...(input.includeDirs ?? [])];
  if (!paths.every((p) => YOSYS_SAFE_PATH.test(p)) || !(input.defines ?? []).every((d) => YOSYS_SAFE_DEFINE.test(d)) || !/^[A-Za-z_][\w$]*$/.test(top)) {
    return { result: null, version: yosys.version, reason: 'path, define or module name not safe for a yosys script' };
  }
  return { result: await runCheck(moduleSynthSpec(top), yosys, input, env), version: yosys.version };
}
