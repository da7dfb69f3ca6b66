import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAINS, detectDomain, type Domain } from '../../annotate/detect-domain.js';
import { detectLanguage } from '../../annotate/detect-language.js';

const CORTEX_M_STARTUP = `  .syntax unified
  .cpu cortex-m4
  .thumb
  .section .isr_vector,"a",%progbits
  .word _estack
  .word Reset_Handler
Reset_Handler:
  ldr sp, =_estack
  bl main
`;
const X86_ASM = `#include "asm.h"
  .text
  .globl memcpy_avx
memcpy_avx:
  vmovdqu (%rsi), %ymm0
  vmovdqu %ymm0, (%rdi)
  ret
`;
const TRITON = `import torch
import triton
import triton.language as tl

@triton.jit
def add_kernel(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
`;
const VIVADO_TCL = `read_verilog [glob ./rtl/*.v]
read_xdc top.xdc
synth_design -top top -part xc7a35tcpg236-1
write_bitstream -force top.bit
`;
const STM32_C = `#include "stm32f4xx.h"
void delay(void) { __asm__ volatile ("nop"); }
int main(void) {
  RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
  GPIOA->MODER |= 1;
}
`;

/** [name, path, content, expected domain, expected evidence]. */
const CASES: ReadonlyArray<readonly [string, string, string, Domain, string | null]> = [
  // gpu-kernel
  ['.cu file', 'k.cu', 'int x;', 'gpu-kernel', 'lang:cuda'],
  ['__shared__ in C++', 'k.cpp', 'void f() { extern __shared__ float s[]; }', 'gpu-kernel', '__shared__'],
  ['#include <cuda_runtime.h> in C', 'k.c', '#include <cuda_runtime.h>\nint main(void) {}', 'gpu-kernel', '#include <cuda_runtime.h>'],
  ['Triton kernel in Python', 'ops/add.py', TRITON, 'gpu-kernel', '@triton.jit'],
  ['import triton alone', 'bench.py', 'import triton\nprint(triton.__version__)\n', 'gpu-kernel', 'import triton'],
  ['@triton.jit alone', 'k.py', '@triton.jit\ndef k(): pass\n', 'gpu-kernel', '@triton.jit'],
  ['triton.language alone', 'k.py', 'tl = __import__("triton.language")\nx = triton.language.arange\n', 'gpu-kernel', 'triton.language'],
  ['CUDA kernel with inline PTX stays gpu-kernel', 'k.cu', '__global__ void k() { asm volatile("bar.sync 0;"); }', 'gpu-kernel', 'lang:cuda'],
  // cad-3d
  ['CadQuery import', 'part.py', 'import cadquery as cq\nbox = cq.Workplane("XY").box(1, 2, 3)\n', 'cad-3d', 'import cadquery'],
  ['from cadquery', 'part.py', 'from cadquery import Workplane\n', 'cad-3d', 'from cadquery'],
  ['cq.Workplane alone', 'part.py', 'r = cq.Workplane("XY")\n', 'cad-3d', 'cq.Workplane'],
  // chip-design
  ['verilog', 'a.v', 'module m; endmodule', 'chip-design', 'lang:verilog'],
  ['systemverilog', 'a.sv', '', 'chip-design', 'lang:systemverilog'],
  ['vhdl', 'a.vhd', '', 'chip-design', 'lang:vhdl'],
  ['sdc', 'top.sdc', 'create_clock -period 10 [get_ports clk]', 'chip-design', 'lang:sdc'],
  ['yosys script', 'synth.ys', 'read_verilog top.v\nsynth -top top\n', 'chip-design', 'lang:yosys-script'],
  ['Vivado Tcl script', 'build.tcl', VIVADO_TCL, 'chip-design', 'read_verilog'],
  ['Tcl set_property', 'pins.tcl', 'set_property PACKAGE_PIN W5 [get_ports clk]\n', 'chip-design', 'set_property'],
  ['Tcl create_clock', 'c.tcl', '  create_clock -name clk -period 5\n', 'chip-design', 'create_clock'],
  ['Tcl read_vhdl', 'c.tcl', 'read_vhdl alu.vhd\n', 'chip-design', 'read_vhdl'],
  ['Tcl add_files', 'c.tcl', 'add_files -norecurse src/top.v\n', 'chip-design', 'add_files'],
  ['Tcl yosys synth', 'c.tcl', 'yosys synth -top top\n', 'chip-design', 'synth'],
  ['plain Tcl is general', 'util.tcl', 'proc synthesize_all {} { puts hi }\nset x 1\n', 'general', null],
  ['cocotb testbench', 'test_alu.py', 'import cocotb\nfrom cocotb.triggers import Timer\n', 'chip-design', 'import cocotb'],
  ['amaranth design', 'top.py', 'from amaranth import *\n', 'chip-design', 'from amaranth'],
  ['migen design', 'top.py', 'from migen import Module\n', 'chip-design', 'from migen'],
  // embedded
  ['linker script', 'STM32F407VG.ld', 'MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 1M }', 'embedded', 'lang:linker-script'],
  ['Cortex-M startup .s is embedded, not compiler-opt', 'startup_stm32f407xx.s', CORTEX_M_STARTUP, 'embedded', '.syntax unified'],
  ['STM32 C with inline asm is embedded', 'main.c', STM32_C, 'embedded', '#include "stm32f4xx.h"'],
  ['CMSIS NVIC call', 'irq.c', 'void on(void) { NVIC_EnableIRQ(USART1_IRQn); }', 'embedded', 'NVIC_EnableIRQ'],
  ['SysTick handler', 'tick.c', 'void SysTick_Handler(void) { ticks++; }', 'embedded', 'SysTick_Handler'],
  ['__disable_irq', 'crit.c', 'void lock(void) { __disable_irq(); }', 'embedded', '__disable_irq'],
  ['RCC->', 'clk.c', 'void c(void) { RCC->CR |= 1; }', 'embedded', 'RCC->'],
  ['GPIOC->', 'led.c', 'void t(void) { GPIOC->ODR ^= 1; }', 'embedded', 'GPIOC->'],
  ['core_cm4.h', 'cmsis.h', '#include "core_cm4.h"\n', 'embedded', '#include "core_cm4.h"'],
  ['.thumb in asm', 'vec.S', '.thumb\n.global f\nf: bx lr\n', 'embedded', '.thumb'],
  ['.isr_vector section in C', 'vec.c', '__attribute__((section(".isr_vector"))) void (*v[])(void) = {0};', 'embedded', '.isr_vector'],
  ['Makefile with arm-none-eabi', 'Makefile', 'CC = arm-none-eabi-gcc\nall: fw.elf\n', 'embedded', 'arm-none-eabi'],
  ['AVR', 'blink.c', '#include <avr/io.h>\nint main(void) { DDRB = 1; }', 'embedded', '#include <avr/io.h>'],
  ['ESP-IDF', 'app.c', '#include "esp_err.h"\n', 'embedded', '#include "esp_err.h"'],
  ['FreeRTOS', 'task.c', '#include "FreeRTOS.h"\n#include "task.h"\n', 'embedded', '#include "FreeRTOS.h"'],
  // compiler-opt
  ['plain x86 .S is compiler-opt', 'memcpy.S', X86_ASM, 'compiler-opt', 'lang:asm'],
  ['LLVM IR', 'f.ll', 'define i32 @f() { ret i32 0 }', 'compiler-opt', 'lang:llvm-ir'],
  ['immintrin.h', 'simd.c', '#include <immintrin.h>\n', 'compiler-opt', '#include <immintrin.h>'],
  ['_mm256_ intrinsic', 'simd.cpp', 'auto v = _mm256_add_ps(a, b);', 'compiler-opt', '_mm256_add_ps'],
  ['_mm_ intrinsic', 'simd.c', 'x = _mm_loadu_si128 (p);', 'compiler-opt', '_mm_loadu_si128'],
  ['arm_neon.h', 'neon.c', '#include <arm_neon.h>\n', 'compiler-opt', '#include <arm_neon.h>'],
  ['inline __asm__ without embedded markers', 'rdtsc.c', 'static inline unsigned long r(void) { unsigned long x; __asm__("rdtsc" : "=A"(x)); return x; }', 'compiler-opt', '__asm__'],
  ['LLVM API', 'Pass.cpp', 'bool run(llvm::Function &F) { return false; }', 'compiler-opt', 'llvm::'],
  ['MLIR API', 'Lower.cpp', 'void f(mlir::OpBuilder &b);', 'compiler-opt', 'mlir::'],
  ['#pragma omp', 'par.c', '#pragma omp parallel for\nfor (;;) {}', 'compiler-opt', '#pragma omp'],
  ['#pragma GCC unroll', 'u.c', '#pragma GCC unroll 4\nfor (;;) {}', 'compiler-opt', '#pragma GCC unroll'],
  // general, and language gating
  ['README is general', 'README', 'incorpus\n========\nA pipeline that builds a corpus.\n', 'general', null],
  ['README.md is general', 'README.md', '# Project\nBuild with `npm run build`.\n', 'general', null],
  ['plain Python is general', 'util.py', 'def add(a, b):\n    return a + b\n', 'general', null],
  ['plain C is general', 'add.c', 'int add(int a, int b) { return a + b; }', 'general', null],
  ['JSON mentioning __global__ is general', 'notes.json', '{"k": "__global__ SysTick llvm::"}', 'general', null],
];

for (const [name, path, text, domain, evidence] of CASES) {
  test(`detectDomain: ${name}`, () => {
    assert.deepEqual(detectDomain(detectLanguage(path, text), path, text), { domain, evidence });
  });
}

test('detectDomain: a word in a Verilog comment cannot make it a GPU kernel', () => {
  const text = '// buffered like __shared__ memory in CUDA\nmodule m; endmodule\n';
  assert.deepEqual(detectDomain('verilog', 'm.v', text), { domain: 'chip-design', evidence: 'lang:verilog' });
});

test('detectDomain: markers past the first 64 KB are not looked at', () => {
  const text = 'int pad;\n'.repeat(8000) + '#include <immintrin.h>\n';
  assert.equal(detectDomain('c', 'late.c', text).domain, 'general');
});

test('DOMAINS lists every domain in priority order', () => {
  assert.deepEqual(DOMAINS, ['gpu-kernel', 'cad-3d', 'chip-design', 'embedded', 'compiler-opt', 'general']);
});

// Real Verilog that nobody here wrote: the cell libraries shipped by Debian's yosys.
test('yosys techlibs in /usr/share/yosys detect as Verilog and chip-design', () => {
  const dir = '/usr/share/yosys';
  assert.ok(existsSync(dir), `${dir} is missing: run \`apt-get install yosys\` (CI installs it)`);
  const files = readdirSync(dir).filter((name) => name.endsWith('.v'));
  assert.ok(files.length > 0, `no *.v files in ${dir}: run \`apt-get install yosys\``);
  for (const name of files) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const lang = detectLanguage(path, text);
    assert.ok(lang === 'verilog' || lang === 'systemverilog', `${path}: detected ${lang}`);
    assert.equal(detectDomain(lang, path, text).domain, 'chip-design', path);
  }
});
