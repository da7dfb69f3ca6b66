import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { re2 } from '../linear-regex.js';

// Where Debian's verilator package (and a `make install` from source) puts the runtime headers.
const RUNTIME_DIRS = ['/usr/share/verilator/include', '/usr/local/share/verilator/include'];

let runtimeDir: string | null | undefined;

/** Verilator's installed runtime include dir (`verilated.h`), or null; looked up once. */
export function verilatorRuntimeDir(): string | null {
  if (runtimeDir === undefined) runtimeDir = RUNTIME_DIRS.find((d) => existsSync(posix.join(d, 'verilated.h'))) ?? null;
  return runtimeDir;
}

/** A C++ Verilator testbench: it includes Verilator's runtime (`verilated.h`, `verilated_vcd_c.h`, …). */
export const isVerilatorTestbench = (text: string): boolean => re2(/^[ \t]*#[ \t]*include[ \t]*["<]verilated\w*\.h[">]/m).test(text);

/**
 * Flags that let g++ find Verilator's runtime headers, for a Verilator
 * testbench: they are part of the installed tool, not of the repository, so
 * without them every such testbench stops at `verilated.h` and the header
 * really missing — the generated `V<top>.h` model — is never named.
 */
export function verilatorRuntimeFlags(text: string): string[] {
  const dir = isVerilatorTestbench(text) ? verilatorRuntimeDir() : null;
  return dir ? ['-isystem', dir, '-isystem', posix.join(dir, 'vltstd')] : [];
}
