import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { repoVerifier } from './verify-env.js';
import { evalFlags, vlnvName } from '../../annotate/verify/build-core.js';
import { parseMakefile, shellArithmetic } from '../../annotate/verify/build-lists.js';
import { frontEndLimit } from '../../annotate/verify/tool-limits.js';
import { vendorLibraryFor } from '../../annotate/verify/vendor-models.js';

// Multi-board FPGA repositories (issue 15, measured on SERV's servant SoC 2026-12-03): board tops listed
// by FuseSoC targets that depend on other cores, cells of a family yosys has no models for, and
// port initializers only Icarus rejects. Fixtures written here; Debian's yosys models.

test('FuseSoC use flags: `flag? (x)` keeps x only when set, `!flag? (x)` only when not; VLNV names drop the version', () => {
  assert.deepEqual(evalFlags('!tool_quartus? (soc/ram.v)', new Set()), ['soc/ram.v']);
  assert.deepEqual(evalFlags('tool_quartus? (soc/ram_quartus.sv)', new Set()), []);
  assert.deepEqual(evalFlags('tool_quartus? (soc/ram_quartus.sv)', new Set(['tool_quartus'])), ['soc/ram_quartus.sv']);
  assert.deepEqual(evalFlags('target_sim? (!vidbo? (tb.cpp) vidbo? (tb_vidbo.cpp)) plain.v', new Set(['target_sim'])), ['tb.cpp', 'plain.v']);
  assert.equal(vlnvName('>=award-winning:serv:servile:1.2.0'), 'award-winning:serv:servile');
});

const CORES = {
  'cpu.core': 'CAPI2:\nname: acme:hw:cpu:1.0\nfilesets:\n  core:\n    files: [cpu/alu.v, cpu/cpu.v]\n    file_type: verilogSource\ntargets:\n  default:\n    filesets: [core]\n',
  'soc.core': [
    'CAPI2:', 'name: acme:hw:soc:1.0', 'filesets:', '  soc:', '    files:',
    '      - "tool_quartus? (soc/ram_quartus.sv)" : {file_type: systemVerilogSource}',
    '      - "!tool_quartus? (soc/ram.v)"', '      - soc/soc.v', '    file_type: verilogSource', '    depend: [">=acme:hw:cpu:1.0", "fusesoc:utils:generators"]',
    '  ice:', '    files:', '      - board/ice_top.v', '      - data/ice.pcf : {file_type: PCF}', '      - sw/blinky.hex : {file_type: user}', '    file_type: verilogSource',
    '  cyc:', '    files: [board/cyc_top.v, data/cyc.sdc : {file_type: SDC}]', '    file_type: verilogSource',
    'targets:', '  default:', '    filesets: [soc]',
    '  icestick:', '    default_tool: icestorm', '    filesets: [soc, ice]',
    '  cyc1000:', '    default_tool: quartus', '    filesets: [soc, cyc]', '',
  ].join('\n'),
  'cpu/alu.v': 'module alu (input [7:0] a, output [7:0] y);\n  assign y = a + 8\'d1;\nendmodule\n',
  'cpu/cpu.v': 'module cpu (input clk, input [7:0] d, output [7:0] q);\n  alu u (.a(d), .y(q));\nendmodule\n',
  'soc/ram.v': 'module ram (input clk, input [7:0] d, output reg [7:0] q);\n  always @(posedge clk) q <= d;\nendmodule\n',
  'soc/soc.v': 'module soc (input clk, input [7:0] d, output [7:0] q);\n  wire [7:0] r;\n  ram m (.clk(clk), .d(d), .q(r));\n  cpu c (.clk(clk), .d(r), .q(q));\nendmodule\n',
  'board/ice_top.v': 'module ice_top (input clk, input [7:0] sw, output [7:0] led);\n  soc s (.clk(clk), .d(sw), .q(led));\nendmodule\n',
  'board/cyc_top.v': 'module cyc_top (input clk, input [7:0] sw, output [7:0] led);\n  soc s (.clk(clk), .d(sw), .q(led));\nendmodule\n',
};

test('a board top listed by a FuseSoC target compiles with the cores it depends on; constraint files and unselected variants are no absent sources', async () => {
  requireTool('iverilog');
  await requireBwrap();
  // soc/ram_quartus.sv is not in the repository: only the Quartus board's target selects it.
  const r = repoVerifier(CORES);
  try {
    const ice = await r.verify('board/ice_top.v');
    assert.equal(ice.status, 'compiles', JSON.stringify(ice));
    assert.equal(ice.blackboxes, undefined);
    assert.match(ice.repository!.buildList!, /soc\.core \(target icestick\)/);
    // The Quartus target selects the RAM variant the repository lacks: that one module is a named black box.
    const cyc = await r.verify('board/cyc_top.v');
    assert.equal(cyc.status, 'compiles-with-blackboxes', JSON.stringify(cyc));
    assert.deepEqual(cyc.blackboxes, [{ module: 'ram', why: 'absent-file', source: 'soc/ram_quartus.sv' }]);
  } finally {
    r.close();
  }
});

test('a vendor model stands in only with the ports the design connects: PolarFire VCC/GND are black boxes, not Intel cells', async () => {
  requireTool('iverilog');
  await requireBwrap();
  const uses = [{ module: 'VCC', params: [], ports: ['Y'] }];
  assert.deepEqual(vendorLibraryFor(['VCC'], uses).mismatched, ['VCC']);
  assert.deepEqual(vendorLibraryFor(['VCC'], [{ module: 'VCC', params: [], ports: ['V'] }]).found, ['VCC']);
  const r = repoVerifier({
    // Microchip PolarFire cells (Libero's VCC/GND have a `Y` pin); yosys models CLKINT for SmartFusion2 only.
    'pf/clock_gen.v': 'module clock_gen (input i_clk, output o_clk);\n  wire vcc_net, gnd_net;\n  VCC vcc_inst (.Y(vcc_net));\n  GND gnd_inst (.Y(gnd_net));\n  CLKINT ck (.A(i_clk), .Y(o_clk));\nendmodule\n',
    // A Cologne Chip GateMate cell yosys 0.23 has no model of: a vendor primitive, not an absent module.
    'gm/top.v': 'module top (output rst_n);\n  CC_USR_RSTN usr (.USR_RSTN(rst_n));\nendmodule\n',
  });
  try {
    const v = await r.verify('pf/clock_gen.v');
    assert.equal(v.status, 'compiles-with-blackboxes', JSON.stringify(v));
    assert.deepEqual(v.vendorModels, ['sf2']);
    assert.deepEqual(v.blackboxes, [{ module: 'VCC', why: 'vendor-primitive' }, { module: 'GND', why: 'vendor-primitive' }]);
    const g = await r.verify('gm/top.v');
    assert.equal(g.status, 'compiles-with-blackboxes', JSON.stringify(g));
    assert.deepEqual(g.blackboxes, [{ module: 'CC_USR_RSTN', why: 'vendor-primitive' }]);
  } finally {
    r.close();
  }
});

test('an output net port with an initializer is an Icarus limit another front end settles; a wire assigned in always stays an error', async () => {
  for (const t of ['iverilog', 'verilator'] as const) requireTool(t);
  await requireBwrap();
  const src = (p: string, text: string) => ({ path: p, text });
  const top = 'module board (input wire clk, output wire led1, output wire led2 = 1\'b0);\n  assign led1 = clk;\nendmodule\n';
  const bad = 'module bad (input clk, output wire q);\n  always @(posedge clk) q <= 1\'b1;\nendmodule\n';
  assert.equal(frontEndLimit('iverilog', 'b/board.v:1: error: led2 is not a valid l-value in board.\nb/board.v:1:      : led2 is declared here as wire.\n', [src('b/board.v', top)]), 'port-initializer');
  assert.equal(frontEndLimit('iverilog', 'r/bad.v:2: error: q is not a valid l-value in bad.\n', [src('r/bad.v', bad)]), null);
  const r = repoVerifier({ 'b/board.v': top, 'r/bad.v': bad });
  try {
    const v = await r.verify('b/board.v');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.deepEqual([v.opinions![0]!.tool, v.opinions![0]!.status, v.opinions![0]!.kind], ['iverilog', 'unsupported-construct', 'port-initializer']);
    assert.equal(v.tool, 'verilator');
    const b = await r.verify('r/bad.v');
    assert.equal(b.status, 'elaboration-error', JSON.stringify(b));
    assert.equal(b.opinions, undefined);
  } finally {
    r.close();
  }
});

test('board Makefiles: `include`d source lists get the including board\'s -D flags (shell arithmetic evaluated); Makefile.<board> is a build file', async () => {
  const read = (p: string) => (p === 'hw/boards/sources.mk' ? 'SRCS := ./pll.v \\\n  ../../soc.v\n' : null);
  const mk = parseMakefile('hw/boards/ulx3s/Makefile', 'F ?= 25000000\nDEFINES = -DBOARD_ULX3S\nDEFINES += -DRAM_BYTES=$$((1024*1024*32))\ninclude ../sources.mk\nsoc.json: $(SRCS)\n\tyosys $(DEFINES) -DSYSTEM_CLK=${F} -p "synth_ecp5 -top soc" $^\n', read);
  const rule = mk.lists.find((l) => l.from.includes('rule soc.json'))!;
  assert.deepEqual(rule.sources, ['./pll.v', '../../soc.v']);
  assert.deepEqual(rule.defines, ['BOARD_ULX3S', 'RAM_BYTES=33554432', 'SYSTEM_CLK=25000000']);
  assert.equal(shellArithmetic('(2+3)*4-1'), 19);
  assert.equal(shellArithmetic('1/0'), null);
  requireTool('iverilog');
  await requireBwrap();
  const soc = 'module soc (input clk, output [31:0] q);\n`ifndef BOARD_ULX3S\n  no_board_given u ();\n`endif\n  pll p (.clk(clk));\n  assign q = (`SYSTEM_CLK / 1000) + `RAM_BYTES;\nendmodule\n';
  const r = repoVerifier({
    'hw/boards/sources.mk': 'SRCS := ./pll.v \\\n  ../../soc.v\n',
    'hw/boards/ulx3s/Makefile': 'F ?= 25000000\nDEFINES = -DBOARD_ULX3S\nDEFINES += -DRAM_BYTES=$$((1024*1024*32))\ninclude ../sources.mk\nsoc.json: $(SRCS)\n\tyosys $(DEFINES) -DSYSTEM_CLK=${F} -p "synth_ecp5 -top soc" $^\n',
    'hw/boards/ulx3s/pll.v': 'module pll (input clk);\nendmodule\n',
    'hw/soc.v': soc,
    'old/Makefile.icebreaker': 'VERILOG_FILES := top.v core.v\ntop.json: top.v\n\tyosys -DICEBREAKER -p "synth_ice40 -json $@" ${VERILOG_FILES}\n',
    'old/top.v': 'module top (input a, output y);\n`ifdef ICEBREAKER\n  core c (.a(a), .y(y));\n`else\n  no_board_given u ();\n`endif\nendmodule\n',
    'old/core.v': 'module core (input a, output y);\n  assign y = ~a;\nendmodule\n',
  });
  try {
    const v = await r.verify('hw/soc.v');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.match(v.repository!.buildList!, /ulx3s\/Makefile \((?:rule soc\.json|SRCS)\)/);
    const t = await r.verify('old/top.v');
    assert.equal(t.status, 'compiles', JSON.stringify(t));
    assert.match(t.repository!.buildList!, /Makefile\.icebreaker/);
  } finally {
    r.close();
  }
});

test('a module whose parameter defaults are placeholders is elaborated where the repository instantiates it; an error at any parameters stays', async () => {
  requireTool('iverilog');
  await requireBwrap();
  const r = repoVerifier({
    // width = 0 until a user sets it (SERV's serv_rf_ram): `{W{...}}` cannot elaborate at the default.
    'rtl/fifo_ram.v': 'module fifo_ram #(parameter W = 0) (input [W-1:0] d, output [W-1:0] q);\n  assign q = d & ~{W{1\'b0}};\nendmodule\n',
    'rtl/top.v': 'module top (input [7:0] d, output [7:0] q);\n  fifo_ram #(.W(8)) u (.d(d), .q(q));\nendmodule\n',
    'rtl/bad.v': 'module bad #(parameter W = 8) (input [W-1:0] d, output [W-1:0] q);\n  assign q = d & ~{0{1\'b0}};\nendmodule\n',
    'rtl/bad_user.v': 'module bad_user (input [7:0] d, output [7:0] q);\n  bad #(.W(8)) u (.d(d), .q(q));\nendmodule\n',
  });
  try {
    const v = await r.verify('rtl/fifo_ram.v');
    assert.equal(v.standalone.status, 'elaboration-error');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.deepEqual(v.elaboratedIn, { file: 'rtl/top.v', module: 'fifo_ram' });
    assert.equal(v.kind, undefined, 'no error kind left on a file that compiles');
    const b = await r.verify('rtl/bad.v');
    assert.equal(b.status, 'elaboration-error', JSON.stringify(b));
    assert.equal(b.elaboratedIn, undefined);
  } finally {
    r.close();
  }
});

test('`#include <fcntl.h>` is the C library\'s, not a repository header of the same name found by suffix (xv6-style mkfs host tool)', async () => {
  requireTool('gcc');
  await requireBwrap();
  const r = repoVerifier({
    'os/mkfs/mkfs.c': '#include <fcntl.h>\n#include "kernel/fs.h"\nint main(void) { return open("fs.img", O_RDWR | O_CREAT, 0666) + FS_MAGIC; }\n',
    'os/kernel/fcntl.h': '#define O_RDONLY 0x000\n#define O_CREATE 0x200\n',
    'os/kernel/fs.h': '#define FS_MAGIC 0x10203040\n',
  });
  try {
    const v = await r.verify('os/mkfs/mkfs.c');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
  } finally {
    r.close();
  }
});

test('a header that relies on its includer\'s earlier includes is checked the way a repository source includes it; a broken one stays broken', async () => {
  requireTool('gcc');
  await requireBwrap();
  const r = repoVerifier({
    // xv6's convention: every .c includes kernel/types.h first; the other headers do not include it.
    'os/kernel/types.h': 'typedef unsigned int uint;\ntypedef unsigned char uchar;\n',
    'os/kernel/buf.h': 'struct buf {\n  uint blockno;\n  uchar data[512];\n};\n',
    'os/kernel/bad.h': 'struct bad {\n  uint x\n  int y;\n};\n',
    'os/kernel/bio.c': '#include "types.h"\n#include "buf.h"\n#include "bad.h"\nstruct buf b;\n',
    // Another directory's cfg.h, included after types.h: says nothing about lib/cfg.h.
    'lib/cfg.h': 'struct cfg {\n  uint n;\n};\n',
    'app/cfg.h': 'struct app_cfg {\n  int n;\n};\n',
    'app/main.c': '#include "../os/kernel/types.h"\n#include "cfg.h"\nint main(void) { return 0; }\n',
  });
  try {
    const v = await r.verify('os/kernel/buf.h');
    assert.notEqual(v.standalone.status, 'compiles');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
    assert.equal(v.includedFrom, 'os/kernel/bio.c');
    assert.equal(v.kind, undefined, 'no error kind left on a file that compiles');
    const b = await r.verify('os/kernel/bad.h');
    assert.equal(b.status, 'syntax-error', JSON.stringify(b));
    assert.equal(b.includedFrom, undefined);
    const c = await r.verify('lib/cfg.h');
    assert.notEqual(c.status, 'compiles', JSON.stringify(c));
    assert.equal(c.includedFrom, undefined);
  } finally {
    r.close();
  }
});

test('a C source included like a header (`#include "stdlib.c"`) is found next to its includer', async () => {
  requireTool('gcc');
  await requireBwrap();
  const r = repoVerifier({
    'boot/boot.c': '#include "kstdlib.h"\n#include "stdlib.c"\nint main(void) { return kputs("boot"); }\n',
    'boot/stdlib.c': '#include "kstdlib.h"\nint kputs(const char *s) { return s[0]; }\n',
    'boot/kstdlib.h': '#ifndef KSTDLIB_H\n#define KSTDLIB_H\nint kputs(const char *s);\n#endif\n',
  });
  try {
    const v = await r.verify('boot/boot.c');
    assert.equal(v.status, 'compiles', JSON.stringify(v));
  } finally {
    r.close();
  }
});
