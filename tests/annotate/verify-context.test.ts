import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { repoVerifier } from './verify-env.js';
import { parseMakefile } from '../../annotate/verify/build-lists.js';

const ALU = 'module alu (input [7:0] a, input [7:0] b, output [7:0] y);\n  assign y = a + b;\nendmodule\n';

test('the target comes first: a SoC top guarding its include order compiles with its core', async () => {
  for (const t of ['iverilog', 'yosys'] as const) requireTool(t);
  await requireBwrap();
  const r = repoVerifier({
    // picosoc-style guard: the core must be read after the SoC top (it sees PICORV32_V otherwise).
    'soc/soc.v': '`ifndef CORE_REGS\n`ifdef CORE_V\n`error "soc.v must be read before core.v!"\n`endif\n`define CORE_REGS soc_regs\n`endif\nmodule soc (input [7:0] a, output [7:0] y);\n  core u (.a(a), .y(y));\nendmodule\n',
    'core.v': '`define CORE_V\nmodule core (input [7:0] a, output [7:0] y);\n  assign y = ~a;\nendmodule\n',
  });
  try {
    const v = await r.verify('soc/soc.v');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.equal(v.context, 'repository');
  } finally {
    r.close();
  }
});

test('build files give order, include dirs and defines: Makefile, FuseSoC .core, .f file list, CMake', async () => {
  for (const t of ['iverilog', 'gcc'] as const) requireTool(t);
  await requireBwrap();
  const r = repoVerifier({
    'rtl/top.v': 'module top (input [7:0] a, input [7:0] b, output [7:0] y);\n`ifdef WITH_ALU\n  alu u (.a(a), .b(b), .y(y));\n`else\n  missing_without_define u ();\n`endif\nendmodule\n',
    'ip/alu.v': ALU,
    'top.core': 'CAPI2:\nname: ::top:0\nfilesets:\n  rtl:\n    files: [ip/alu.v, rtl/top.v]\n    file_type: verilogSource\ntargets:\n  default:\n    filesets: [rtl]\n    parameters: [WITH_ALU]\nparameters:\n  WITH_ALU:\n    datatype: int\n    default: 1\n    paramtype: vlogdefine\n',
    'flist/chip.v': 'module chip (output [7:0] y);\n  `include "widths.vh"\n  assign y = `W;\nendmodule\n',
    'flist/inc/widths.vh': '`define W 8\'d3\n',
    'flist/chip.f': '+incdir+inc\nchip.v\n',
    'tb/Makefile': 'VERILOG_SOURCES = ../rtl/mac.v\nVERILOG_SOURCES += ../rtl/crc.v\nCOMPILE_ARGS += -DUSE_CRC\n',
    'rtl/mac.v': 'module mac (input [7:0] d, output [7:0] q);\n`ifdef USE_CRC\n  crc u (.d(d), .q(q));\n`else\n  missing_without_define u ();\n`endif\nendmodule\n',
    'rtl/crc.v': 'module crc (input [7:0] d, output [7:0] q);\n  assign q = d ^ 8\'h07;\nendmodule\n',
    'fw/CMakeLists.txt': 'add_executable(fw src/main.c)\ntarget_include_directories(fw PRIVATE config)\ntarget_compile_definitions(fw PRIVATE BOARD_REV=2)\n',
    'fw/src/main.c': '#include "board.h"\n#if BOARD_REV != 2\n#error wrong board\n#endif\nint main(void) { return LEDS; }\n',
    'fw/config/board.h': '#define LEDS 4\n',
  });
  try {
    const core = await r.verify('rtl/top.v');
    assert.equal(core.status, 'compiles', JSON.stringify(core));
    assert.match(core.repository!.buildList!, /top\.core \(target default\)/);
    const f = await r.verify('flist/chip.v');
    assert.equal(f.status, 'compiles', JSON.stringify(f));
    const mk = await r.verify('rtl/mac.v');
    assert.equal(mk.status, 'compiles', JSON.stringify(mk));
    assert.match(mk.repository!.buildList!, /tb\/Makefile \(VERILOG_SOURCES\)/);
    const c = await r.verify('fw/src/main.c');
    assert.equal(c.status, 'compiles', JSON.stringify(c));
  } finally {
    r.close();
  }
});

test('vendor primitives compile with yosys\'s simulation models, and the library is named', async () => {
  requireTool('iverilog');
  await requireBwrap();
  const r = repoVerifier({
    'xilinx/clk.v': 'module clk (input clk_p, input clk_n, output clk);\n  wire c;\n  IBUFGDS ib (.I(clk_p), .IB(clk_n), .O(c));\n  BUFG bg (.I(c), .O(clk));\nendmodule\n',
    'ice40/io.v': 'module io (inout pin, input d, output q);\n  SB_IO #(.PIN_TYPE(6\'b1010_01)) u (.PACKAGE_PIN(pin), .D_OUT_0(d), .D_IN_0(q), .OUTPUT_ENABLE(1\'b1));\nendmodule\n',
  });
  try {
    const x = await r.verify('xilinx/clk.v');
    assert.equal(x.standalone.status, 'vendor-ip');
    assert.equal(x.status, 'compiles', JSON.stringify(x));
    assert.deepEqual(x.vendorModels, ['xilinx']);
    const i = await r.verify('ice40/io.v');
    assert.equal(i.status, 'compiles', JSON.stringify(i));
    assert.deepEqual(i.vendorModels, ['ice40']);
  } finally {
    r.close();
  }
});

test('generated IP and absent modules become named black boxes; the rest of the file is checked', async () => {
  requireTool('iverilog');
  await requireBwrap();
  const r = repoVerifier({
    'fpga/ip/eth_pcs.tcl': 'create_ip -name gig_ethernet_pcs_pma -vendor xilinx.com -library ip -module_name eth_pcs_0\n',
    'fpga/rtl/fpga.v': 'module fpga (input clk, input [7:0] d, output [7:0] q);\n  eth_pcs_0 pcs (.clk(clk), .rx(d), .tx(q));\nendmodule\n',
    'fpga/rtl/broken_use.v': 'module broken_use (input clk, output q);\n  eth_pcs_0 pcs (.clk(clk), .tx(q));\n  assign q = undefined_signal_x;\nendmodule\n',
    'fpga/rtl/ghost.v': 'module ghost_user (input a, output y);\n  ghost_mod g (.a(a), .y(y));\nendmodule\n',
  });
  try {
    const v = await r.verify('fpga/rtl/fpga.v');
    assert.equal(v.status, 'compiles-with-blackboxes', JSON.stringify(v));
    assert.deepEqual(v.blackboxes, [{ module: 'eth_pcs_0', why: 'generated-ip', source: 'eth_pcs_0' }]);
    const g = await r.verify('fpga/rtl/ghost.v');
    assert.equal(g.status, 'compiles-with-blackboxes');
    assert.equal(g.blackboxes![0]!.why, 'absent-module');
    // Stubbing never hides a real error elsewhere in the file.
    const b = await r.verify('fpga/rtl/broken_use.v');
    assert.equal(b.status, 'elaboration-error', JSON.stringify(b));
    assert.equal(b.kind, 'undeclared-identifier');
  } finally {
    r.close();
  }
});

test('a second front end before any syntax-error: SVA accepted by yosys -formal, `task expect` by iverilog -g2005', async () => {
  for (const t of ['iverilog', 'verilator', 'yosys'] as const) requireTool(t);
  await requireBwrap();
  const r = repoVerifier({
    // Unclocked concurrent assertions (smtbmc style): Icarus has no SVA, Verilator refuses unclocked ones, yosys -formal reads them.
    'formal/check.v': 'module check (input clk, input [3:0] a);\n  always @(posedge clk) assume (a != 4\'hf);\n  always @* assert property (a != 4\'hf);\nendmodule\n',
    'tb/old_tb.v': 'module old_tb;\n  reg [7:0] r;\n  task expect;\n    input [7:0] v;\n    if (r !== v) $display("mismatch");\n  endtask\n  initial begin r = 1; expect(1); end\nendmodule\n',
    'rtl/really_broken.v': 'module really_broken (input a, output y)\n  assign y = a\nendmodule\n',
  });
  try {
    const f = await r.verify('formal/check.v');
    assert.match(f.standalone.status, /^(?:syntax-error|unsupported-construct)$/);
    assert.equal(f.status, 'compiles', JSON.stringify(f));
    assert.equal(f.tool, 'yosys -formal');
    assert.ok(f.opinions!.length >= 2 && f.opinions![0]!.tool === 'iverilog');
    const t = await r.verify('tb/old_tb.v');
    assert.equal(t.status, 'compiles', JSON.stringify(t));
    assert.equal(t.tool, 'iverilog -g2005');
    const b = await r.verify('rtl/really_broken.v');
    assert.equal(b.status, 'syntax-error');
    assert.deepEqual(b.opinions!.map((o) => o.status), ['syntax-error', 'syntax-error', 'syntax-error', 'syntax-error'], JSON.stringify(b.opinions));
  } finally {
    r.close();
  }
});

test('elaboration errors are named: interface mismatch, duplicate declaration; include fragments compile in a wrapper', async () => {
  requireTool('iverilog');
  await requireBwrap();
  const r = repoVerifier({
    'rtl/dut.v': 'module dut (input clk, output q);\n  assign q = clk;\nendmodule\n',
    'tb/tb_dut.v': 'module tb_dut;\n  reg clk; wire q;\n  dut uut (.clk(clk), .q(q), .ifg_delay(8\'d12));\nendmodule\n',
    'rtl/dup.v': 'module dup (input a, output y);\n  wire t;\n  wire t;\n  assign y = a;\nendmodule\n',
    // Module items only valid inside a module: the file is pasted into one with `include.
    'rtl/body.vh': 'reg [7:0] count;\nalways @* count = 8\'d0;\nwire [7:0] next = count + 1;\n',
  });
  try {
    const tb = await r.verify('tb/tb_dut.v');
    assert.equal(tb.status, 'elaboration-error', JSON.stringify(tb));
    assert.equal(tb.kind, 'interface-mismatch');
    const d = await r.verify('rtl/dup.v');
    assert.deepEqual([d.status, d.kind], ['elaboration-error', 'duplicate-declaration']);
    const frag = await r.verify('rtl/body.vh');
    assert.equal(frag.status, 'compiles', JSON.stringify(frag));
    assert.equal(frag.fragment, true);
  } finally {
    r.close();
  }
});

test('embedded C: -mcpu from the device family, the device macro from the repository\'s device headers', async () => {
  requireTool('arm-none-eabi-gcc');
  await requireBwrap();
  const r = repoVerifier({
    'Drivers/CMSIS/Device/stm32f1xx.h': '#if !defined(STM32F103xB)\n#error "Please select first the target STM32F1xx device used in your application"\n#endif\n#include "stm32f103xb.h"\n',
    'Drivers/CMSIS/Device/stm32f103xb.h': '#include <stdint.h>\ntypedef struct { volatile uint32_t ODR; } GPIO_TypeDef;\n#define GPIOC ((GPIO_TypeDef *)0x40011000u)\n',
    'Core/Src/main.c': '#include "stm32f1xx.h"\nint main(void) {\n  GPIOC->ODR ^= 1u << 13;\n#if !defined(__ARM_ARCH_7M__)\n#error "expected a Cortex-M3"\n#endif\n  for (;;) { }\n}\n',
  });
  try {
    const v = await r.verify('Core/Src/main.c', { domain: 'embedded' });
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.deepEqual(v.device, { mcpu: 'cortex-m3', evidence: 'stm32f1xx.h', define: 'STM32F103xB' });
  } finally {
    r.close();
  }
});

test('a Makefile recipe\'s -D belong to its rule: two boards\' firmware rules are alternatives, never both (picosoc-style)', async () => {
  requireTool('gcc');
  await requireBwrap();
  // Files we wrote in the shape of picorv32's picosoc: one firmware.c, one gcc rule per board, each with its board macro.
  const fw = '#ifdef BOARD_A\nint board(void) { return 1; }\n#endif\n#ifdef BOARD_B\nint board(void) { return 2; }\n#endif\n#if !defined(BOARD_A) && !defined(BOARD_B)\n#error "Set -DBOARD_A or -DBOARD_B"\n#endif\nint main(void) { return board(); }\n';
  const make = 'CFLAGS = -O2 -DCOMMON=1\n\na_fw.elf: a_sections.lds start.s firmware.c\n\t$(CROSS)gcc $(CFLAGS) -DBOARD_A -o a_fw.elf start.s firmware.c\n\nb_fw.elf: b_sections.lds start.s firmware.c\n\t$(CROSS)gcc $(CFLAGS) -DBOARD_B -o b_fw.elf start.s firmware.c\n';
  const lists = parseMakefile('soc/Makefile', make).lists;
  const rules = lists.filter((l) => l.from.includes('(rule'));
  assert.deepEqual(rules.map((l) => [l.from, l.defines]), [['soc/Makefile (rule a_fw.elf)', ['COMMON=1', 'BOARD_A']], ['soc/Makefile (rule b_fw.elf)', ['COMMON=1', 'BOARD_B']]]);
  for (const l of lists) assert.ok(!(l.defines.includes('BOARD_A') && l.defines.includes('BOARD_B')), `${l.from}: ${l.defines.join(' ')}`);
  const r = repoVerifier({ 'soc/firmware.c': fw, 'soc/start.s': '.globl _start\n_start:\n', 'soc/Makefile': make });
  try {
    const v = await r.verify('soc/firmware.c');
    // Standalone the #error fires; with the first board's rule it compiles (with both macros it would redefine board()).
    assert.equal(v.standalone.status, 'elaboration-error', JSON.stringify(v.standalone));
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.match(v.repository?.buildList ?? '', /soc\/Makefile \((?:recipe|rule a_fw\.elf)\)/);
  } finally {
    r.close();
  }
});
