import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_LANGS, detectLanguage, type Lang } from '../../annotate/detect-language.js';

const VERILOG = 'module counter(input clk, output reg [3:0] q);\n  always @(posedge clk) q <= q + 1;\nendmodule\n';
const COQ = 'Require Import Arith.\nTheorem plus_O : forall n, n + 0 = n.\nProof.\n  auto.\nQed.\n';
const C_HEADER = '#ifndef UART_H\n#define UART_H\n#include <stdint.h>\nvoid uart_init(uint32_t baud);\n#endif\n';

/** [name, path, content, expected]; content is only what the rule needs to see. */
const CASES: ReadonlyArray<readonly [string, string, string, Lang]> = [
  // HDL: `.v` is decided by content.
  ['plain .v is verilog', 'rtl/counter.v', VERILOG, 'verilog'],
  ['.v with always_ff is systemverilog', 'rtl/ff.v', 'module f(input logic clk);\n  always_ff @(posedge clk) q <= d;\nendmodule\n', 'systemverilog'],
  ['.v with always_comb is systemverilog', 'a.v', 'module m;\nalways_comb y = a;\nendmodule\n', 'systemverilog'],
  ['.v with `logic [` is systemverilog', 'a.v', 'module m;\n  logic [7:0] data;\nendmodule\n', 'systemverilog'],
  ['.v with interface is systemverilog', 'bus.v', 'interface axi_if (input clk);\n  wire valid;\nendinterface\n', 'systemverilog'],
  ['.v with package is systemverilog', 'pkg.v', 'package cfg_pkg;\n  parameter W = 8;\nendpackage\n', 'systemverilog'],
  ['.v with typedef struct is systemverilog', 't.v', 'typedef struct packed { bit a; } s_t;\nmodule m; endmodule\n', 'systemverilog'],
  ['.v with class is systemverilog', 'tb.v', 'class driver;\n  task run(); endtask\nendclass\n', 'systemverilog'],
  ['SV words only in comments keep verilog', 'c.v', '// unlike always_ff in SV\n/* interface foo;\n logic [3:0] x; */\n' + VERILOG, 'verilog'],
  ['`logic` as a prose word or $logic_not stays verilog', 's.v', 'module \\$logic_not (A, Y); // the logic of it\nendmodule\n', 'verilog'],
  ['.v Coq proof is unknown', 'theories/Plus.v', COQ, 'unknown'],
  ['.v with only Qed. is unknown', 'Lemmas.v', 'Lemma x : True.\nProof. exact I. Qed.\n', 'unknown'],
  ['.vh is a verilog header', 'inc/defs.vh', '`define WIDTH 8\nlocalparam X = 1;\n', 'verilog'],
  ['.vh with typedef is systemverilog', 'inc/types.vh', 'typedef enum logic [1:0] {A, B} st_t;\n', 'systemverilog'],
  ['.sv', 'top.sv', VERILOG, 'systemverilog'],
  ['.svh', 'top.svh', '', 'systemverilog'],
  ['.vhd', 'alu.vhd', 'entity alu is end entity;', 'vhdl'],
  ['.VHDL is case-insensitive', 'ALU.VHDL', '', 'vhdl'],
  // C family.
  ['.cu', 'k.cu', '', 'cuda'],
  ['.cuh', 'k.cuh', '', 'cuda'],
  ['.h with __global__ is cuda', 'k.h', '__global__ void add(float *a) { a[threadIdx.x] += 1; }\n', 'cuda'],
  ['.h with __device__ is cuda', 'm.h', 'template <typename T> __device__ T sq(T x) { return x * x; }\n', 'cuda'],
  ['.h with __shared__ is cuda', 's.h', 'extern __shared__ float tile[];\n', 'cuda'],
  ['.h with #include <cuda_runtime.h> is cuda', 'r.h', '#include <cuda_runtime.h>\n', 'cuda'],
  ['.h with cudaMalloc is cuda', 'a.h', 'static inline void *dev_alloc(size_t n) { void *p; cudaMalloc(&p, n); return p; }\n', 'cuda'],
  ['.h with a <<< launch is cuda', 'l.h', 'inline void go() { kern<<<1, 32>>>(); }\n', 'cuda'],
  ['.h with a merge-conflict marker is not cuda', 'c.h', '<<<<<<< HEAD\nint x;\n=======\nint y;\n>>>>>>> b\n', 'c'],
  ['.h with class is cpp', 'q.h', '#pragma once\nclass Queue {\n public:\n  int size() const;\n};\n', 'cpp'],
  ['.h with namespace is cpp', 'n.h', 'namespace hw {\nint f();\n}\n', 'cpp'],
  ['.h with template< is cpp', 't.h', 'template<typename T> T max3(T a, T b, T c);\n', 'cpp'],
  ['.h with std:: is cpp', 'v.h', 'inline int n(const std::string &s) { return s.size(); }\n', 'cpp'],
  ['.h with #include <iostream> is cpp', 'i.h', '#include <iostream>\n', 'cpp'],
  ['.h with #include <vector> is cpp', 'w.h', '#include <vector>\nint f(void);\n', 'cpp'],
  ['plain .h is c', 'uart.h', C_HEADER, 'c'],
  ['CUDA word in a comment does not make .h cuda', 'z.h', '/* ported from __global__ kernels; cudaMalloc not used */\n' + C_HEADER, 'c'],
  ['plain .hpp is cpp', 'x.hpp', C_HEADER, 'cpp'],
  ['plain .hh is cpp', 'x.hh', C_HEADER, 'cpp'],
  ['plain .hxx is cpp', 'x.hxx', C_HEADER, 'cpp'],
  ['.hpp with __device__ is cuda', 'x.hpp', '__host__ __device__ inline float f(float x);\n', 'cuda'],
  ['.inl', 'x.inl', 'inline int f() { return 1; }\n', 'cpp'],
  ['.c', 'main.c', 'int main(void) { return 0; }\n', 'c'],
  ['.cpp', 'main.cpp', 'int main() {}\n', 'cpp'],
  ['.cc', 'a.cc', '', 'cpp'],
  ['.cxx', 'a.cxx', '', 'cpp'],
  ['.c++', 'a.c++', '', 'cpp'],
  ['.cpp with __global__ kernel is cuda', 'k.cpp', '__global__ void k(int *p) { p[0] = 1; }\n', 'cuda'],
  // Scripts, IR, assembly and flow files.
  ['.py', 'a.py', '', 'python'],
  ['.pyi', 'a.pyi', '', 'python'],
  ['.s', 'start.s', '', 'asm'],
  ['.S', 'start.S', '', 'asm'],
  ['.asm', 'x.asm', '', 'asm'],
  ['.ll', 'x.ll', '', 'llvm-ir'],
  ['.tcl', 'build.tcl', '', 'tcl'],
  ['.sdc', 'top.sdc', '', 'sdc'],
  ['.xdc', 'pins.xdc', '', 'sdc'],
  ['.ld', 'STM32F407.ld', '', 'linker-script'],
  ['.lds', 'kernel.lds', '', 'linker-script'],
  ['.ys', 'synth.ys', '', 'yosys-script'],
  ['CMakeLists.txt is cmake, not text', 'src/CMakeLists.txt', '', 'cmake'],
  ['.cmake', 'toolchain.cmake', '', 'cmake'],
  ['Makefile', 'fw/Makefile', '', 'make'],
  ['makefile', 'makefile', '', 'make'],
  ['GNUmakefile', 'GNUmakefile', '', 'make'],
  ['.mk', 'rules.mk', '', 'make'],
  ['.md', 'README.md', '', 'markdown'],
  ['.markdown', 'x.markdown', '', 'markdown'],
  ['.rst', 'index.rst', '', 'markdown'],
  ['.txt', 'notes.txt', '', 'text'],
  ['LICENSE', 'LICENSE', '', 'text'],
  ['COPYING', 'COPYING', '', 'text'],
  ['README without extension', 'docs/README', '', 'text'],
  ['.json', 'a.json', '', 'json'],
  ['.yml', 'ci.yml', '', 'yaml'],
  ['.yaml', 'ci.yaml', '', 'yaml'],
  ['.toml', 'Cargo.toml', '', 'toml'],
  ['.sh', 'run.sh', '', 'shell'],
  ['.bash', 'run.bash', '', 'shell'],
  ['.rs', 'lib.rs', '', 'rust'],
  ['.scala', 'Top.scala', 'import chisel3._\n', 'scala'],
  ['Windows paths and upper-case extensions', 'C:\\fw\\SRC\\MAIN.C', '', 'c'],
  // No known extension: the shebang decides.
  ['env python3 shebang', 'tools/gen', '#!/usr/bin/env python3\nprint(1)\n', 'python'],
  ['/usr/bin/python2.7 shebang', 'gen', '#!/usr/bin/python2.7\n', 'python'],
  ['/bin/sh shebang', 'configure', '#!/bin/sh\necho hi\n', 'shell'],
  ['bash shebang', 'bootstrap', '#!/bin/bash -e\n', 'shell'],
  ['env -S bash shebang', 'x', '#!/usr/bin/env -S bash -eu\n', 'shell'],
  ['tclsh shebang', 'flow', '#!/usr/bin/tclsh8.6\nputs hi\n', 'tcl'],
  ['env tclsh shebang', 'flow', '#!/usr/bin/env tclsh\n', 'tcl'],
  ['unknown interpreter', 'x', '#!/usr/bin/perl\n', 'unknown'],
  ['no extension, no shebang', 'bin/blob', 'hello', 'unknown'],
  ['unknown extension', 'x.foo', 'int main() {}', 'unknown'],
  ['prototype key as extension', 'x.constructor', '', 'unknown'],
  ['dotfile is not an extension', '.bashrc', 'alias ll=ls', 'unknown'],
];

for (const [name, path, text, want] of CASES) {
  test(`detectLanguage: ${name}`, () => {
    assert.equal(detectLanguage(path, text), want);
  });
}

test('detectLanguage: markers past the first 64 KB are not looked at', () => {
  const padding = 'int pad;\n'.repeat(8000); // ~72 KB
  assert.equal(detectLanguage('late.h', C_HEADER + padding + '__global__ void k() {}\n'), 'c');
  assert.equal(detectLanguage('late.v', VERILOG + `// ${'x'.repeat(70_000)}\nalways_ff @(posedge c) q <= d;\n`), 'verilog');
});

test('CODE_LANGS holds exactly the code languages', () => {
  const notCode: Lang[] = ['markdown', 'text', 'json', 'yaml', 'toml', 'unknown'];
  for (const lang of notCode) assert.equal(CODE_LANGS.has(lang), false, lang);
  const code: Lang[] = ['verilog', 'systemverilog', 'vhdl', 'c', 'cpp', 'cuda', 'python', 'asm', 'llvm-ir', 'tcl',
    'sdc', 'linker-script', 'cmake', 'make', 'yosys-script', 'shell', 'rust', 'scala'];
  for (const lang of code) assert.equal(CODE_LANGS.has(lang), true, lang);
  assert.equal(CODE_LANGS.size, code.length);
});
