import type { SandboxResult } from './sandbox.js';
import { namesOutside } from './sanitize-log.js';
import type { ToolName } from './toolchains.js';
import { re2 } from '../linear-regex.js';

/**
 * Verification outcomes (docs/refine-and-verify.md § Statuses); `export
 * --verified <status,…>` filters on these. `kind` narrows a few of them.
 */
export const VERIFY_STATUSES = [
  'compiles',
  'compiles-with-blackboxes',
  'syntax-error',
  'elaboration-error',
  'unsupported-construct',
  'missing-dependency',
  'vendor-ip',
  'unsafe-include',
  'timeout',
  'resource-limit',
  'toolchain-missing',
  'sandbox-unavailable',
  'not-checked',
] as const;
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];

/**
 * Sub-kinds: elaboration-error → interface-mismatch | duplicate-declaration |
 * undeclared-identifier | type-error | error-directive | other;
 * missing-dependency → generated-include | generated-ip | generated-file |
 * absent-submodule | absent-module | absent-header; vendor-ip →
 * vendor-primitive | vendor-header.
 */
export type StatusKind = string;

export interface Classification {
  status: VerifyStatus;
  kind?: StatusKind;
  /** Modules or headers the tool could not find (drives context, vendor models and stubs). */
  missing: string[];
}

/**
 * Outcomes that depend on the machine at that moment, not on the code: the
 * wall clock ran out (a loaded machine; the CPU-time limit is the budget for
 * the code), something outside killed the tool (the kernel's OOM killer), or
 * the sandbox failed. Retried once, never cached. Hitting the CPU-time,
 * memory or file-size rlimit is deterministic for a given limit: recorded
 * with the limit in the cache key, so raising it checks again.
 */
export const isTransient = (r: { status: VerifyStatus; kind?: StatusKind }): boolean =>
  (r.status === 'timeout' && r.kind !== 'cpu-limit') || (r.status === 'resource-limit' && r.kind === 'killed') || (r.status === 'not-checked' && r.kind === 'sandbox-failed') || r.status === 'sandbox-unavailable';

// Primitive and IP names of FPGA vendors (Xilinx unisim, Intel/Altera megafunctions,
// Lattice iCE40/ECP5, Gowin, Cologne Chip GateMate — CC_*, as in yosys's gatemate/cells_sim.v; CC_USR_RSTN
// is one yosys 0.23 has no model of): a missing one is vendor IP, not a broken design.
const VENDOR_MODULE = re2(/^(?:IBUF\w*|OBUF\w*|IOBUF\w*|BUFG\w*|BUFH\w*|BUFR|BUFIO\w*|BUFMR\w*|MMCM\w*|PLL_\w+|PLLE\d\w*|DCM\w*|RAMB\d+\w*|DSP48\w*|IDELAY\w*|ODELAY\w*|IODELAY\w*|ISERDES\w*|OSERDES\w*|IDDR\w*|ODDR\w*|FD[CPRS]E?|LUT[1-6]|CARRY[48]|SRL16E?|SRLC32E|STARTUPE\d|ICAPE\d|GT[XHPYM]E\d\w*|IBUFDS_GTE\d|XPM_\w+|xpm_\w+|alt\w+|lpm_\w+|cyclone\w+|stratix\w+|arria\w+|twentynm_\w+|fourteennm_\w+|SB_\w+|CC_\w+|EHXPLLL|DP16KD|TRELLIS_\w+|MULT18X18D|ALU54B|DCCA|DCSC|GSR|PUR|USRMCLK|rPLL|pll\w*_ip|clk_wiz\w*|blk_mem_gen\w*|fifo_generator\w*)$/);
// Vendor SDK headers: CMSIS, ST HAL, Xilinx BSP, Nordic, Espressif, TI, NXP.
const VENDOR_HEADER = /(?:^|\/)(?:stm32\w*|core_cm\w*|cmsis\w*|system_stm32\w*|xil_\w*|xparameters\w*|nrf\w*|esp_\w*|driverlib\w*|fsl_\w*|MK\d\w*|LPC\w*|sam\w*|hal_\w*)\.h$/i;

export const isVendorName = (m: string): boolean => VENDOR_MODULE.test(m) || VENDOR_HEADER.test(m);

const MISSING_PATTERNS: RegExp[] = [
  /Unknown module type: (\S+)/g, // iverilog
  /Include file (\S+) not found/g, // iverilog
  /Cannot find file containing module: '([^']+)'/g, // verilator
  /Cannot find include file: '?"?([^'"\s]+)/g, // verilator
  /Package\/class '([^']+)' not found/g, // verilator
  /Importing from missing package '([^']+)'/g, // verilator
  /fatal error: ([^:\s]+): No such file or directory/g, // gcc, clang, nvcc host pass
  /fatal error: '([^']+)' file not found/g, // clang
  /cannot open source file "([^"]+)"/g, // nvcc front end
  re2(/Module `\\?([^']+)' referenced in module `[^']*' in cell `[^']*' is not part of the design/g), // yosys
  /Can't open include file `([^']+)'/g, // yosys
  /Can not open file `([^`']+)` for \\?\$readmem/g, // yosys, memory initialization file
];

/** Module and header names the log says could not be found (patterns of every supported tool), deduplicated. */
export function findMissing(log: string): string[] {
  const names = new Set<string>();
  for (const re of MISSING_PATTERNS) for (const m of log.matchAll(re)) names.add(m[1]!);
  // A name outside the repository (an absolute or climbing include) is host information: say only that it was outside.
  return [...names].map((n) => (namesOutside(n) ? '<outside the repository>' : n));
}

// What an error line says, most specific first. Each entry: status, kind, pattern over error lines.
const ERROR_KINDS: Array<[VerifyStatus, StatusKind | undefined, RegExp]> = [
  ['elaboration-error', 'interface-mismatch', re2(/is not a port of|Output port expression must support continuous assignment|Inout port expression must support|Pin not found|does not have a port named|Wrong number of ports|too many ports|PINNOTFOUND|port .* is not declared|has no port|Unknown parameter|PARAMNOTFOUND|parameter .* not found/i)],
  ['elaboration-error', 'duplicate-declaration', re2(/already (?:been )?declared|Duplicate declaration|Re-definition of module|redefinition of|conflicting types|multiple definition|MULTIDRIVEN.*declared/i)],
  ['elaboration-error', 'undeclared-identifier', /Unable to bind|Can't find definition of|undeclared|unknown type name|implicit declaration of function|is implicitly declared and `default_nettype|was not declared in this scope|use of undeclared/i],
  ['elaboration-error', 'error-directive', re2(/error: #error|`error|%Error: .*\$fatal/)],
  ['unsupported-construct', undefined, /sorry:|Unsupported:|UNSUPPORTED|not (?:currently )?supported|not yet supported/i],
  ['elaboration-error', 'type-error', /incompatible type|invalid operands|cannot convert|Width mismatch|not a constant|must be constant|Unable to evaluate|Could not evaluate/i],
];
const SYNTAX = re2(/syntax error|Syntax error|parse error|expected .* before|expected (?:identifier|expression|declaration|';'|‘;’)|stray '|missing terminating|invalid preprocessing directive|SyntaxError|IndentationError|Parser error|unexpected token|Unterminated|invalid module item|malformed statement|Errors in port declarations|Invalid module instantiation/);

/** The error lines of a log (warnings and notes left out). */
function errorLines(log: string): string[] {
  return log.split('\n').filter((l) => /\berror\b|%Error|ERROR|sorry:|SyntaxError|IndentationError|I give up/i.test(l) && !/^\s*\d+ error\(s\)|Exiting due to|error\(s\) during elaboration/.test(l));
}

/** A SIGKILL that came from the CPU rlimit's hard limit (the run used about that much CPU). */
const cpuLimitReached = (run: SandboxResult): boolean => run.cpuLimitMs !== undefined && run.cpuMs >= run.cpuLimitMs * 0.95;

/** Classifies a finished tool run from its exit status and raw log. */
export function classifyRun(tool: ToolName, run: SandboxResult): Classification {
  if (run.sandboxError) return { status: 'not-checked', kind: 'sandbox-failed', missing: [] };
  if (run.timedOut) return { status: 'timeout', kind: 'wall-clock', missing: [] };
  // RLIMIT_AS: a failed allocation, or the loader unable to map a library at all.
  const oom = /std::bad_alloc|out of memory|virtual memory exhausted|Cannot allocate memory|MemoryError|memory allocation failed|failed to map segment from shared object/i.test(run.output);
  // RLIMIT_CPU sends SIGXCPU (then SIGKILL at the hard limit), RLIMIT_FSIZE SIGXFSZ; RLIMIT_AS shows as a failed allocation.
  if (run.signal === 'SIGXCPU' || (run.signal === 'SIGKILL' && cpuLimitReached(run))) return { status: 'timeout', kind: 'cpu-limit', missing: [] };
  if (run.signal === 'SIGXFSZ') return { status: 'resource-limit', kind: 'file-size', missing: [] };
  if (oom) return { status: 'resource-limit', kind: 'memory', missing: [] };
  if (run.signal === 'SIGKILL') return { status: 'resource-limit', kind: 'killed', missing: [] };
  // Any other signal is the tool crashing: says nothing about the code.
  if (run.signal) return { status: 'not-checked', kind: 'tool-crash', missing: [] };
  // The compiler crashing (an ICE) says nothing about the code; keyed by the limits like everything else.
  if (/internal compiler error|INTERNAL ERROR|Internal error|%Error: Internal/.test(run.output)) return { status: 'not-checked', kind: 'tool-crash', missing: [] };
  const missing = findMissing(run.output);
  if (run.exitCode === 0 && !(tool === 'verilator' && /%Error/.test(run.output))) return { status: 'compiles', missing: [] };
  // An include fragment (`define lists, .vh) parses but declares no module: not an error.
  if (tool === 'iverilog' && run.output.trim() === 'No top level modules, and no -s option.') return { status: 'compiles', missing: [] };
  if (tool === 'verilator' && onlyNoTopErrors(run.output)) return { status: 'compiles', missing: [] };
  if (missing.length > 0) {
    return missing.every(isVendorName) ? { status: 'vendor-ip', kind: missing.some((m) => m.endsWith('.h')) ? 'vendor-header' : 'vendor-primitive', missing } : { status: 'missing-dependency', missing };
  }
  return { ...classifyErrors(run.output), missing };
}

/** Syntax first (a parse failure hides everything after it), then the most specific elaboration kind. */
export function classifyErrors(log: string): { status: VerifyStatus; kind?: StatusKind } {
  const lines = errorLines(log);
  const text = lines.length > 0 ? lines.join('\n') : log;
  if (SYNTAX.test(text)) {
    // An unsupported construct often surfaces as a syntax error right after iverilog's "sorry".
    if (/sorry:|Unsupported:/.test(text)) return { status: 'unsupported-construct' };
    return { status: 'syntax-error' };
  }
  for (const [status, kind, re] of ERROR_KINDS) if (re.test(text)) return kind ? { status, kind } : { status };
  return { status: 'elaboration-error', kind: 'other' };
}

/** Verilator on a package-only file: "No top level module found" (and the fault it triggers in 5.006) is its only complaint. */
function onlyNoTopErrors(log: string): boolean {
  const errors = log.split('\n').filter((l) => l.startsWith('%Error'));
  return errors.some((l) => l.includes('No top level module found')) && errors.every((l) => /No top level module found|internal fault|Command Failed/.test(l));
}

/** True when a status means the toolchain accepted the file (black boxes named). */
export const passes = (s: VerifyStatus): boolean => s === 'compiles' || s === 'compiles-with-blackboxes';

/**
 * How far a tool got: lower is further. When no opinion accepts a file, the
 * furthest one is the answer (a front end that parsed the file and then found
 * a missing port knows more than one that could not parse it).
 */
export const PROGRESS: Readonly<Record<VerifyStatus, number>> = {
  compiles: 0,
  'compiles-with-blackboxes': 1,
  'elaboration-error': 2,
  'missing-dependency': 2,
  'vendor-ip': 2,
  'unsupported-construct': 3,
  'syntax-error': 4,
  'unsafe-include': 5,
  timeout: 6,
  'resource-limit': 6,
  'toolchain-missing': 7,
  'sandbox-unavailable': 7,
  'not-checked': 7,
};
