import type { SandboxResult } from './sandbox.js';
import type { ToolName } from './toolchains.js';
import { re2 } from '../linear-regex.js';

/** Verification outcomes; `export --verified <status>` filters on these. */
export type VerifyStatus =
  | 'compiles'
  | 'syntax-error'
  | 'missing-dependency'
  | 'vendor-ip'
  | 'toolchain-missing'
  | 'timeout'
  | 'resource-limit'
  | 'unsafe-include'
  | 'not-checked';

export interface Classification {
  status: VerifyStatus;
  /** Modules or headers the tool could not find (drives the repository-context retry). */
  missing: string[];
}

// Primitive and IP names of FPGA vendors (Xilinx unisim, Intel/Altera megafunctions,
// Lattice iCE40/ECP5, Gowin): a missing one is vendor IP, not a broken design.
const VENDOR_MODULE = re2(/^(?:IBUF\w*|OBUF\w*|IOBUF\w*|BUFG\w*|BUFH|BUFR|BUFIO|MMCM\w*|PLLE\d\w*|RAMB\d+\w*|DSP48\w*|IDELAY\w*|ODELAY\w*|ISERDES\w*|OSERDES\w*|IDDR\w*|ODDR\w*|FD[CPRS]E?|LUT[1-6]|CARRY[48]|SRL16E?|SRLC32E|XPM_\w+|xpm_\w+|alt\w+|lpm_\w+|cyclone\w+|stratix\w+|SB_\w+|EHXPLLL|DP16KD|TRELLIS_\w+|MULT18X18D|ALU54B|GSR|PUR|rPLL|pll\w*_ip|clk_wiz\w*|blk_mem_gen\w*|fifo_generator\w*)$/);
// Vendor SDK headers: CMSIS, ST HAL, Xilinx BSP, Nordic, Espressif, TI, NXP.
const VENDOR_HEADER = re2(/(?:^|\/)(?:stm32\w*|core_cm\w*|cmsis\w*|system_stm32\w*|xil_\w*|xparameters\w*|nrf\w*|esp_\w*|driverlib\w*|fsl_\w*|MK\d\w*|LPC\w*|sam\w*|hal_\w*)\.h$/i);

/** Classifies a finished tool run from its exit status and raw log. */
export function classifyRun(tool: ToolName, run: SandboxResult): Classification {
  if (run.timedOut) return { status: 'timeout', missing: [] };
  // The sandbox itself could not start (prlimit missing): the file was never checked.
  if (run.exitCode === null && run.signal === null) return { status: 'not-checked', missing: [] };
  if (run.signal === 'SIGXCPU' || run.signal === 'SIGXFSZ' || run.signal === 'SIGKILL' || run.signal === 'SIGSEGV') {
    return { status: 'resource-limit', missing: [] };
  }
  const missing = findMissing(run.output);
  if (run.exitCode === 0 && !(tool === 'verilator' && /%Error/.test(run.output))) return { status: 'compiles', missing: [] };
  // An include fragment (`define lists, .vh) parses but declares no module: not an error.
  if (tool === 'iverilog' && run.output.trim() === 'No top level modules, and no -s option.') return { status: 'compiles', missing: [] };
  if (tool === 'verilator' && onlyNoTopErrors(run.output)) return { status: 'compiles', missing: [] };
  if (/std::bad_alloc|out of memory|virtual memory exhausted|Cannot allocate memory/i.test(run.output)) return { status: 'resource-limit', missing };
  if (missing.length > 0) {
    const vendor = missing.every((m) => VENDOR_MODULE.test(m) || VENDOR_HEADER.test(m));
    return { status: vendor ? 'vendor-ip' : 'missing-dependency', missing };
  }
  return { status: 'syntax-error', missing };
}

const MISSING_PATTERNS: RegExp[] = [
  /Unknown module type: (\S+)/g, // iverilog
  /Include file (\S+) not found/g, // iverilog
  /Cannot find file containing module: '([^']+)'/g, // verilator
  /Cannot find include file: '?"?([^'"\s]+)/g, // verilator
  /Package\/class '([^']+)' not found/g, // verilator
  /Importing from missing package '([^']+)'/g, // verilator
  /fatal error: ([^:\s]+): No such file or directory/g, // gcc, clang, nvcc host pass
  /cannot open source file "([^"]+)"/g, // nvcc front end
  re2(/Module `\\?([^']+)' referenced in module `[^']*' in cell `[^']*' is not part of the design/g), // yosys
  /Can't open include file `([^']+)'/g, // yosys
];

/** Module and header names the log says could not be found (patterns of every supported tool), deduplicated. */
export function findMissing(log: string): string[] {
  const names = new Set<string>();
  for (const re of MISSING_PATTERNS) for (const m of log.matchAll(re)) names.add(m[1]!);
  return [...names];
}

/** Verilator on a package-only file: "No top level module found" (and the fault it triggers in 5.006) is its only complaint. */
function onlyNoTopErrors(log: string): boolean {
  const errors = log.split('\n').filter((l) => l.startsWith('%Error'));
  return errors.some((l) => l.includes('No top level module found')) && errors.every((l) => /No top level module found|internal fault|Command Failed/.test(l));
}

/** True when a status means the toolchain accepted the file. */
export const passes = (s: VerifyStatus): boolean => s === 'compiles';
