import type { ToolName } from './toolchains.js';

/** What to run for one language: the tool, its check kind and its command line. */
export interface CheckSpec {
  kind: 'compile' | 'lint' | 'synth' | 'equiv';
  tool: ToolName;
  /** Flags that change the answer; part of the cache key. */
  flags: readonly string[];
  /** Run `args` as a /bin/sh script with the tool's path as $1 (multi-step checks). @default false */
  viaShell?: boolean;
  /** Which repository files can satisfy a missing dependency. */
  context: 'hdl' | 'c-headers' | 'none';
  /**
   * Full argument list, given the target, dependency files and include dirs
   * (all relative to the work dir). HDL dependencies come first: SystemVerilog
   * packages must be compiled before the files that import them.
   */
  args(target: string, deps: readonly string[], includeDirs: readonly string[]): string[];
}

/** Bump when a command line changes in a way flags do not show (argument order): old cache entries stop matching. */
export const RECIPE_VERSION = 2;

const HDL_EXTS = ['.v', '.sv', '.vh', '.svh', '.vlib'];
const C_HEADER_EXTS = ['.h', '.hh', '.hpp', '.hxx', '.cuh', '.inc'];

/** Repository files worth indexing for a context. */
export function contextExtensions(context: CheckSpec['context']): readonly string[] {
  return context === 'hdl' ? HDL_EXTS : context === 'c-headers' ? C_HEADER_EXTS : [];
}

// gcc flags shared by every C-family check: no caret lines (they echo source), bounded errors.
const GCC_COMMON = ['-fsyntax-only', '-fno-diagnostics-show-caret', '-fdiagnostics-color=never', '-fmax-errors=20', '-w'];

const gccLike = (tool: ToolName, flags: string[]): CheckSpec => ({
  kind: 'compile',
  tool,
  flags,
  context: 'c-headers',
  args: (target, _deps, inc) => [...flags, ...GCC_COMMON, ...inc.flatMap((d) => ['-I', d]), target],
});

/**
 * The check for a document, by language and domain (the list):
 * Verilog → `iverilog -g2012`, SystemVerilog → `verilator --lint-only`, C/C++
 * → gcc/g++ `-fsyntax-only`, embedded C → `arm-none-eabi-gcc -mcpu=cortex-m4
 * -mthumb`, CUDA → nvcc front end, Python (Triton, CadQuery) → a byte-compile
 * that never imports or runs the script. Null when no toolchain applies.
 */
export function checkSpecFor(lang: string, domain: string, path: string): CheckSpec | null {
  switch (lang) {
    case 'verilog': {
      const flags = ['-g2012', '-t', 'null'];
      return { kind: 'compile', tool: 'iverilog', flags, context: 'hdl', args: (t, deps, inc) => [...flags, ...inc.map((d) => `-I${d}`), ...deps, t] };
    }
    case 'systemverilog': {
      // Style and lint warnings are not failures; unsupported constructs are black-boxed;
      // --timing accepts testbench delays and event controls (lint never builds them).
      const flags = ['--lint-only', '--timing', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--bbox-sys', '--bbox-unsup'];
      return { kind: 'lint', tool: 'verilator', flags, context: 'hdl', args: (t, deps, inc) => [...flags, ...inc.map((d) => `-I${d}`), ...deps, t] };
    }
    case 'c':
      if (domain === 'embedded') return gccLike('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-std=gnu11']);
      return gccLike('gcc', [path.endsWith('.h') ? '-xc-header' : '-xc', '-std=gnu17']);
    case 'cpp':
      return gccLike('g++', ['-xc++', '-std=gnu++17']);
    case 'cuda': {
      const flags = ['-x', 'cu', '-std=c++17', '-cuda', '-o', '/dev/null'];
      return { kind: 'compile', tool: 'nvcc', flags, context: 'c-headers', args: (t, _d, inc) => [...flags, ...inc.flatMap((d) => ['-I', d]), t] };
    }
    case 'python': {
      // compile() parses and byte-compiles; nothing is imported or executed.
      const flags = ['-I', '-S', '-B', '-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")'];
      return { kind: 'compile', tool: 'python3', flags, context: 'none', args: (t) => [...flags, t] };
    }
    default:
      return null;
  }
}

/** Paths yosys's command parser takes literally: no quotes, spaces or `;` to inject commands with. */
export const YOSYS_SAFE_PATH = /^[\w./+-]+$/;

/** The yosys synthesis check (MetRex's recipe, with the hierarchy step). */
export function synthSpec(): CheckSpec {
  const flags = ['-q', '-p'];
  return {
    kind: 'synth',
    tool: 'yosys',
    flags: ['read_verilog -sv', 'hierarchy -auto-top', 'synth', 'stat'],
    context: 'hdl',
    args: (t, deps, inc) => {
      const files = [...deps, t].map((f) => `"${f}"`).join(' ');
      // yosys takes -I unquoted; verify-doc only synthesizes plain paths (see YOSYS_SAFE_PATH).
      const incs = inc.map((d) => `-I${d}`).join(' ');
      return [...flags, `read_verilog -sv ${incs} ${files}; hierarchy -auto-top; synth; tee -q -o synth-stat.txt stat`];
    },
  };
}
