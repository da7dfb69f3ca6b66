import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { structureOf } from '../../annotate/annotate-stage.js';
import { annotateCadQuery, annotateEmbedded } from '../../annotate/structure-embedded.js';
import { annotateCuda, annotateTriton } from '../../annotate/structure-kernels.js';
import { annotateVerilog } from '../../annotate/structure-verilog.js';
import { renderAnnotationHeader } from '../../annotate/render-header.js';
import { REPO_ROOT } from '../helpers.js';

const demo = (p: string): string => readFileSync(join(REPO_ROOT, 'demo', 'repos', p), 'utf8');

test('Verilog: modules with ports (direction, width), parameters, clocks, resets, submodules', () => {
  const v = `module top #(parameter W = 8, parameter D = 4) (
  input wire clk, input rst_n,
  input [W-1:0] a,
  output reg [W-1:0] q
);
  wire [3:0] x;
  sub #(.N(W)) u_sub (.a(a), .y(x));
  sub u_sub2 (.a(a), .y());
  always @(posedge clk or negedge rst_n) if (!rst_n) q <= 0; else q <= a;
endmodule
module old_style(clk, d, q);
  input clk; input [7:0] d; output [7:0] q;
  assign q = d;
endmodule
`;
  const [top, old] = annotateVerilog(v, 'verilog');
  assert.equal(top!.name, 'top');
  assert.deepEqual(top!.parameters, [{ name: 'W', default: '8' }, { name: 'D', default: '4' }]);
  assert.deepEqual(top!.ports, [
    { name: 'clk', direction: 'input', width: '1' },
    { name: 'rst_n', direction: 'input', width: '1' },
    { name: 'a', direction: 'input', width: '[W-1:0]' },
    { name: 'q', direction: 'output', width: '[W-1:0]' },
  ]);
  assert.deepEqual(top!.clocks, ['clk']);
  assert.deepEqual(top!.resets, [{ name: 'rst_n', activeLow: true }]);
  assert.deepEqual(top!.instances, [{ module: 'sub', names: ['u_sub'] }, { module: 'sub', names: ['u_sub2'] }]);
  assert.equal(old!.name, 'old_style');
  assert.deepEqual(old!.ports.map((p) => `${p.direction} ${p.width} ${p.name}`), ['input 1 clk', 'input [7:0] d', 'output [7:0] q']);
});

test('SystemVerilog from the demo: always_ff clocks and resets are found', () => {
  const [fifo] = annotateVerilog(demo('rtl-alu/rtl/sync_fifo.sv'), 'systemverilog');
  assert.equal(fifo!.name, 'sync_fifo');
  assert.ok(fifo!.clocks.includes('clk'), JSON.stringify(fifo));
  assert.ok(fifo!.ports.length >= 4);
});

test('CUDA: kernels, launch bounds, shared memory, intrinsics, tensor-core APIs', () => {
  const cu = `#include <mma.h>
using namespace nvcuda;
__global__ void __launch_bounds__(256, 2) reduce(const float *x, float *y) {
  __shared__ float tile[32][33];
  extern __shared__ char dyn[];
  float v = __shfl_down_sync(0xffffffff, x[threadIdx.x], 16);
  __syncthreads();
  atomicAdd(y, v);
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
}
__global__ void plain(int *p) { p[0] = 1; }
`;
  const a = annotateCuda(cu);
  assert.deepEqual(a.kernels, [{ name: 'reduce', launchBounds: '256, 2' }, { name: 'plain', launchBounds: null }]);
  assert.deepEqual(a.sharedMemory, [
    { name: 'tile', type: 'float', dims: '[32][33]', dynamic: false },
    { name: 'dyn', type: 'char', dims: '[]', dynamic: true },
  ]);
  assert.deepEqual(a.intrinsics, ['__shfl_down_sync', '__syncthreads', 'atomicAdd']);
  assert.ok(a.tensorCore.includes('wmma::fragment'), JSON.stringify(a.tensorCore));
});

test('Triton: jit kernels, autotune configs and keys, tl ops', () => {
  const py = `import triton
import triton.language as tl

@triton.autotune(
    configs=[
        triton.Config({'BLOCK': 128}, num_warps=4),
        triton.Config({'BLOCK': 256}, num_warps=8),
    ],
    key=['n_elements'],
)
@triton.jit
def add_kernel(x_ptr, y_ptr, n_elements, BLOCK: tl.constexpr):
    pid = tl.program_id(axis=0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, tl.load(x_ptr + offs))

def helper():
    pass
`;
  const t = annotateTriton(py);
  assert.deepEqual(t.kernels, [{ name: 'add_kernel', autotune: { configs: 2, key: ['n_elements'] } }]);
  assert.deepEqual(t.ops, ['arange', 'load', 'program_id', 'store']);
  const demoKernel = annotateTriton(demo('gpu-kernels/triton/softmax.py'));
  assert.ok(demoKernel.kernels.length >= 1, 'the demo softmax kernel is found');
});

test('embedded: MCU family from includes, peripherals, interrupt handlers', () => {
  const c = `#include "stm32f4xx.h"
void TIM2_IRQHandler(void) { TIM2->SR = 0; GPIOD->ODR ^= 1; }
void SysTick_Handler(void) { }
int main(void) { RCC->AHB1ENR |= 1; NVIC->ISER[0] = 1; for (;;) {} }
`;
  assert.deepEqual(annotateEmbedded(c), {
    mcuFamily: 'STM32F4',
    mcuEvidence: 'stm32f4xx.h',
    peripherals: ['GPIOD', 'NVIC', 'RCC', 'TIM2'],
    interruptHandlers: ['SysTick_Handler', 'TIM2_IRQHandler'],
  });
  assert.equal(annotateEmbedded('#include <avr/io.h>\nISR(TIMER0_OVF_vect) {}\n').mcuFamily, 'AVR');
  const s = structureOf({ lang: 'c', domain: 'embedded', text: demo('stm32-blinky/Core/Src/main.c') }) as { embedded: { mcuFamily: string } };
  assert.equal(s.embedded.mcuFamily, 'STM32F4');
});

test('CadQuery: operations counted', () => {
  const ops = annotateCadQuery('import cadquery as cq\nr = cq.Workplane("XY").box(10, 10, 2).faces(">Z").workplane().hole(3).edges("|Z").fillet(1)\n# .box( in a comment\n').operations;
  assert.deepEqual(ops, { Workplane: 1, box: 1, faces: 1, workplane: 1, hole: 1, edges: 1, fillet: 1 });
  const s = structureOf({ lang: 'python', domain: 'cad-3d', text: demo('cad-bracket/bracket.py') }) as { cadquery: { operations: Record<string, number> } };
  assert.ok(Object.keys(s.cadquery.operations).length > 2);
});

test('annotations render as a header comment in the document language', () => {
  const structure = structureOf({ lang: 'verilog', domain: 'chip-design', text: 'module m(input clk, input rst_n, output [3:0] q);\n  sub u (.a(clk));\nendmodule\n' })!;
  const header = renderAnnotationHeader('verilog', { structure, verification: { status: 'compiles', tool: 'iverilog', context: 'standalone', synth: { cells: 7 } } });
  assert.equal(
    header,
    '// incorpus: module m(input clk, input rst_n, output [3:0] q)\n' +
      '// incorpus:   clocks: clk; resets: rst_n (active low)\n' +
      '// incorpus:   instantiates: sub\n' +
      '// incorpus: verified: compiles (iverilog, standalone); 7 cells after yosys synth\n',
  );
  assert.equal(renderAnnotationHeader('markdown', { structure }), '');
  assert.match(renderAnnotationHeader('python', { structure: structureOf({ lang: 'python', domain: 'gpu-kernel', text: '@triton.jit\ndef k(x):\n    pass\n' })! }), /^# incorpus: @triton\.jit k\n$/);
});
