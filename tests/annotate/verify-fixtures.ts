import { writeTree } from '../helpers.js';
import { spdxText } from '../filters/filter-fixtures.js';

/**
 * A repository with cross-file module instantiation, include files in another
 * directory, a SystemVerilog package, repository C headers, an STM32 firmware
 * with its device header, deliberate syntax errors, vendor IP, a missing
 * module, and hostile files that try to read the host.
 */
export function writeVerifyFixture(root: string, pwnedMarker: string): string {
  return writeTree(root, {
    LICENSE: spdxText('MIT'), // the default license policy drops unlicensed files
    'include/params.vh': '`define DATA_W 8\n',
    'rtl/core/alu_core.v': 'module alu_core #(parameter W = 8) (input [W-1:0] a, input [W-1:0] b, output [W-1:0] y);\n  assign y = a + b;\nendmodule\n',
    // CRLF and trailing spaces: normalization refines it, and verification sees the refined text.
    'rtl/top.v':
      '`include "params.vh"   \r\nmodule top (input clk, input [`DATA_W-1:0] a, input [`DATA_W-1:0] b, output reg [`DATA_W-1:0] q);\r\n  wire [`DATA_W-1:0] s;\r\n  alu_core #(.W(`DATA_W)) u_alu (.a(a), .b(b), .y(s));\r\n  always @(posedge clk) q <= s;\r\nendmodule\r\n',
    'rtl/broken.v': 'module broken (input a, output y)\n  assign y = a\nendmodule\n',
    'rtl/vendor.v': 'module clkbuf (input clk_in, output clk);\n  BUFG u_bufg (.I(clk_in), .O(clk));\nendmodule\n',
    'rtl/ghost.v': 'module uses_ghost (input a, output y);\n  ghost_mod u_g (.a(a), .y(y));\nendmodule\n',
    'rtl/pkg.sv': 'package my_pkg;\n  typedef logic [7:0] byte_t;\nendpackage\n',
    'rtl/user.sv': 'module user import my_pkg::*; (input byte_t d, output byte_t q);\n  assign q = d;\nendmodule\n',
    'sw/include/util.h': 'static inline int twice(int x) { return 2 * x; }\n',
    'sw/main.c': '#include "util.h"  \r\nint main(void) {\r\n  return twice(1);\r\n}\r\n',
    'sw/bad.c': 'int main(void) { return 0 }\n',
    'fw/Inc/stm32f4xx.h': '#include <stdint.h>\ntypedef struct { volatile uint32_t AHB1ENR; } RCC_TypeDef;\n#define RCC ((RCC_TypeDef *)0x40023830u)\n',
    'fw/Src/main.c': '#include "stm32f4xx.h"\nvoid SysTick_Handler(void) { }\nint main(void) {\n  RCC->AHB1ENR |= 1u;\n  for (;;) { }\n}\n',
    'evil/leak.c': '#include "/etc/passwd"\nint x;\n',
    'evil/leak2.c': '#include "../../../../../../../../etc/passwd"\nint y;\n',
    'evil/leak.v': 'module leak;\n  reg [7:0] m [0:3];\n  initial $readmemh("/etc/passwd", m);\nendmodule\n',
    // A sibling that reads a host file is never pulled into another file's context.
    'evil/leaky_mod.v': 'module leaky_mod (output [7:0] y);\n  reg [7:0] m [0:3];\n  initial $readmemh("/etc/passwd", m);\n  assign y = m[0];\nendmodule\n',
    'rtl/uses_leaky.v': 'module uses_leaky (output [7:0] y);\n  leaky_mod u (.y(y));\nendmodule\n',
    // Verification byte-compiles Python; it must never run it.
    'py/ok.py': `open(${JSON.stringify(pwnedMarker)}, "w").write("pwned")\n`,
    'py/bad.py': 'def f(:\n    pass\n',
    'cuda/k.cu': '__global__ void k(float *x) { x[threadIdx.x] = 1.0f; }\n',
  });
}

/** The status each fixture file must get (nvcc's depends on the machine; see the test). */
export const EXPECTED_STATUS: Record<string, string> = {
  'include/params.vh': 'compiles',
  'rtl/core/alu_core.v': 'compiles',
  'rtl/top.v': 'compiles',
  'rtl/broken.v': 'syntax-error',
  'rtl/vendor.v': 'compiles',
  'rtl/ghost.v': 'compiles-with-blackboxes',
  'rtl/pkg.sv': 'compiles',
  'rtl/user.sv': 'compiles',
  'sw/include/util.h': 'compiles',
  'sw/main.c': 'compiles',
  'sw/bad.c': 'syntax-error',
  'fw/Src/main.c': 'compiles',
  'evil/leak.c': 'unsafe-include',
  'evil/leak2.c': 'unsafe-include',
  'evil/leak.v': 'unsafe-include',
  'evil/leaky_mod.v': 'unsafe-include',
  'rtl/uses_leaky.v': 'compiles-with-blackboxes',
  'py/ok.py': 'compiles',
  'py/bad.py': 'syntax-error',
};

/** Files that compile only in repository context (vendor models, stubs). */
export const NEEDS_CONTEXT = ['rtl/top.v', 'rtl/user.sv', 'sw/main.c', 'fw/Src/main.c', 'rtl/vendor.v', 'rtl/ghost.v'];
