import type { ToolName } from './toolchains.js';

/** Context a command line may use beyond target, dependencies and include dirs. */
export interface ArgsExtra {
  /** `NAME` or `NAME=VALUE` macro definitions (build files, device family). */
  defines: readonly string[];
  /** Library files: modules there are used only when instantiated (vendor models). */
  libs: readonly string[];
  /** Every source in compile order, the target included (the target first unless a build file says otherwise). */
  order?: readonly string[];
}

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
   * (all relative to the work dir). Without `extra.order`, dependencies come
   * first (SystemVerilog packages before the files that import them).
   */
  args(target: string, deps: readonly string[], includeDirs: readonly string[], extra?: ArgsExtra): string[];
  /** A file the tool writes listing every file it read (`gcc -MD -MF`, `iverilog -Mall=`): checked after the run. */
  depsFile?: string;
  /** How the opinion is named in results when the tool alone does not say it (`iverilog -g2005`). @default the tool */
  label?: string;
}

/** Bump when a command line, the classifier or the log sanitizer changes in a way flags do not show: old cache entries stop matching. */
export const RECIPE_VERSION = 5;

/** The file preprocessors write their list of read files to (see run-check's escape check). */
export const DEPS_FILE = 'incorpus-deps.txt';

const HDL_EXTS = ['.v', '.sv', '.vh', '.svh', '.vlib'];
const C_HEADER_EXTS = ['.h', '.hh', '.hpp', '.hxx', '.cuh', '.inc'];

/** Repository files worth indexing for a context. */
export function contextExtensions(context: CheckSpec['context']): readonly string[] {
  return context === 'hdl' ? HDL_EXTS : context === 'c-headers' ? C_HEADER_EXTS : [];
}

// gcc flags shared by every C-family check: no caret lines (they echo source), bounded errors,
// and a dependency file so the preprocessor itself says which files it opened.
const GCC_COMMON = ['-fsyntax-only', '-fno-diagnostics-show-caret', '-fdiagnostics-color=never', '-fmax-errors=20', '-w', '-MD', '-MF', DEPS_FILE];

// clang spells the error bound differently.
const CLANG_COMMON = GCC_COMMON.map((f) => (f === '-fmax-errors=20' ? '-ferror-limit=20' : f === '-fno-diagnostics-show-caret' ? '-fno-caret-diagnostics' : f));

const gccLike = (tool: ToolName, flags: string[], label?: string): CheckSpec => {
  const common = tool.startsWith('clang') ? CLANG_COMMON : GCC_COMMON;
  return {
    kind: 'compile',
    tool,
    flags,
    context: 'c-headers',
    depsFile: DEPS_FILE,
    ...(label ? { label } : {}),
    args: (target, _deps, inc, extra) => [...flags, ...common, ...(extra?.defines ?? []).map((d) => `-D${d}`), ...inc.flatMap((d) => ['-I', d]), target],
  };
};

const hdlOrder = (t: string, deps: readonly string[], extra?: ArgsExtra): readonly string[] => extra?.order ?? [...deps, t];

/** iverilog at a language generation; `-Mall=` lists every file it read, includes too. */
function iverilogSpec(generation: string, label?: string): CheckSpec {
  // -grelative-include: `include resolves from the including file's directory first, as other simulators do.
  const flags = [generation, '-grelative-include', '-t', 'null'];
  return {
    kind: 'compile', tool: 'iverilog', flags, context: 'hdl', depsFile: DEPS_FILE, ...(label ? { label } : {}),
    args: (t, deps, inc, extra) => [...flags, `-Mall=${DEPS_FILE}`, ...(extra?.defines ?? []).map((d) => `-D${d}`), ...inc.map((d) => `-I${d}`), ...hdlOrder(t, deps, extra), ...(extra?.libs ?? []).flatMap((l) => ['-l', l])],
  };
}

/**
 * Verilator lint: style and lint warnings are not failures; --timing accepts
 * testbench delays. As the SystemVerilog primary it black-boxes unsupported
 * constructs (--bbox-unsup); as a second opinion it does not, so its
 * "accepts" means it understood the construct.
 */
function verilatorSpec(bboxUnsupported = true): CheckSpec {
  const flags = ['--lint-only', '--timing', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--bbox-sys', ...(bboxUnsupported ? ['--bbox-unsup'] : [])];
  return {
    kind: 'lint', tool: 'verilator', flags, context: 'hdl', ...(bboxUnsupported ? {} : { label: 'verilator' }),
    args: (t, deps, inc, extra) => [...flags, ...(extra?.defines ?? []).map((d) => `+define+${d}`), ...inc.map((d) => `-I${d}`), ...hdlOrder(t, deps, extra), ...(extra?.libs ?? []).flatMap((l) => ['-v', l])],
  };
}

/** Paths yosys's command parser takes literally: no quotes, spaces or `;` to inject commands with. */
export const YOSYS_SAFE_PATH = /^[\w./+-]+$/;
/** Macro definitions safe to put in a yosys script (`-DNAME` or `-DNAME=value` without quotes or `;`). */
export const YOSYS_SAFE_DEFINE = /^[A-Za-z_]\w*(?:=[\w.'+-]*)?$/;

/** yosys's front end with formal extensions (`assert property`, `assume`, SVA): parse and check the hierarchy. */
function yosysFormalSpec(): CheckSpec {
  return {
    kind: 'lint', tool: 'yosys', flags: ['read_verilog -formal -sv', 'hierarchy -check'], context: 'hdl', label: 'yosys -formal',
    args: (t, deps, inc, extra) => {
      const defs = (extra?.defines ?? []).map((d) => `-D${d}`).join(' ');
      const incs = inc.map((d) => `-I${d}`).join(' ');
      const libs = (extra?.libs ?? []).length > 0 ? `read_verilog -lib -sv ${(extra?.libs ?? []).join(' ')}; ` : '';
      return ['-q', '-p', `${libs}read_verilog -formal -sv ${defs} ${incs} ${hdlOrder(t, deps, extra).join(' ')}; hierarchy -check`];
    },
  };
}

/** The primary check of a language (the list); null when no toolchain applies. */
export function checkSpecFor(lang: string, domain: string, path: string, mcpu = 'cortex-m4'): CheckSpec | null {
  switch (lang) {
    case 'verilog':
      return iverilogSpec('-g2012');
    case 'systemverilog':
      return verilatorSpec();
    case 'c':
      if (domain === 'embedded') return gccLike('arm-none-eabi-gcc', [`-mcpu=${mcpu}`, '-mthumb', '-std=gnu11']);
      return gccLike('gcc', [path.endsWith('.h') ? '-xc-header' : '-xc', '-std=gnu17']);
    case 'cpp':
      return gccLike('g++', ['-xc++', '-std=gnu++17']);
    case 'cuda': {
      const flags = ['-x', 'cu', '-std=c++17', '-cuda', '-o', '/dev/null'];
      return { kind: 'compile', tool: 'nvcc', flags, context: 'c-headers', args: (t, _d, inc, extra) => [...flags, ...(extra?.defines ?? []).map((d) => `-D${d}`), ...inc.flatMap((d) => ['-I', d]), t] };
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

/**
 * Other real front ends asked before a file is called broken, in order:
 * Icarus at -g2005 first (the same full elaboration, for pre-SystemVerilog
 * code that uses a later keyword as a name: `task expect;`), then Verilator
 * (no black-boxing, so "accepts" means it understood the code), then yosys
 * -formal (SVA and formal-only code, smtbmc scripts). For SystemVerilog the
 * other two; for C/C++ clang, which accepts GNU extensions gcc's strict
 * modes reject and vice versa.
 */
export function secondOpinions(lang: string, domain: string): CheckSpec[] {
  if (lang === 'verilog') return [iverilogSpec('-g2005', 'iverilog -g2005'), verilatorSpec(false), yosysFormalSpec()];
  if (lang === 'systemverilog') return [iverilogSpec('-g2012'), yosysFormalSpec()];
  if (lang === 'c' && domain !== 'embedded') return [gccLike('clang', ['-xc', '-std=gnu17'], 'clang')];
  if (lang === 'cpp') return [gccLike('clang++', ['-xc++', '-std=gnu++17'], 'clang++')];
  return [];
}

/** Name an opinion is recorded under. */
export const specLabel = (s: CheckSpec): string => s.label ?? s.tool;
