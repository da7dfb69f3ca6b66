import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { repoVerifier } from './verify-env.js';
import { parseMakefile } from '../../annotate/verify/build-lists.js';
import { linuxKernelHeaders } from '../../annotate/verify/kernel-code.js';

// Failures whose recorded class a person reading the log would not give (issue 15, hand check of
// 2026-12-03 on SERV, verilog-pcie and kianRiscV): the class must be the one the log shows. Fixtures
// written here.

test('a Verilator C++ testbench sees Verilator\'s runtime headers, so the generated V<top>.h is named as what is missing', async () => {
  for (const t of ['g++', 'verilator'] as const) requireTool(t);
  await requireBwrap();
  // No build file here mentions verilator: the testbench's own include of verilated*.h says what V<top>.h is.
  const tb = '#include <cstdint>\n#include "verilated_vcd_c.h"\n#include "Vsoc_sim.h"\n\nint main(int argc, char **argv) {\n  Verilated::commandArgs(argc, argv);\n  Vsoc_sim *top = new Vsoc_sim;\n  top->eval();\n  return 0;\n}\n';
  const r = repoVerifier({ 'bench/soc_tb.cpp': tb, 'bench/soc_sim.v': 'module soc_sim (input clk);\nendmodule\n' });
  try {
    const v = await r.verify('bench/soc_tb.cpp');
    assert.equal(v.status, 'missing-dependency', JSON.stringify(v));
    assert.equal(v.kind, 'generated-include', JSON.stringify(v));
    assert.deepEqual(v.missing, ['Vsoc_sim.h']);
  } finally {
    r.close();
  }
});

test('a -D value the Makefile computes with $(shell …) is a named build-time value, not an empty macro and a syntax error', async () => {
  const mk = 'CPU_FREQ ?= 31500000\nIMAGE_SIZE ?= $(shell wc -c < ../Image)\nCFLAGS = -ffreestanding -DCPU_FREQ=$(CPU_FREQ)\nCFLAGS += -DIMAGE_SIZE=$(IMAGE_SIZE)\nSTART = crt0.S\n\nboot.o: boot.c\n\t$(PREFIX)-gcc $(CFLAGS) -I. $< $(START) -c\n';
  const lists = parseMakefile('boot/Makefile', mk).lists;
  assert.ok(lists.length > 0);
  for (const l of lists) {
    assert.ok(!l.defines.some((d) => d.startsWith('IMAGE_SIZE')), JSON.stringify(l));
    assert.ok(l.defines.includes('CPU_FREQ=31500000'), JSON.stringify(l));
    assert.deepEqual(l.buildValues, ['IMAGE_SIZE']);
  }
  requireTool('gcc');
  await requireBwrap();
  const r = repoVerifier({
    'boot/Makefile': mk,
    'boot/boot.c': 'void copy(char *dst, const char *src) {\n  for (unsigned i = 0; i < IMAGE_SIZE; i++) dst[i] = src[i];\n}\nunsigned freq(void) { return CPU_FREQ; }\n',
    // The same Makefile, a genuine error that does not involve the build-time value: stays what it is.
    'boot/bad.c': 'unsigned size(void) { return IMAGE_SIZE }\nint broken( { return 1; }\n',
  });
  try {
    const v = await r.verify('boot/boot.c');
    assert.equal(v.status, 'missing-dependency', JSON.stringify(v));
    assert.equal(v.kind, 'generated-value');
    assert.deepEqual(v.missing, ['IMAGE_SIZE']);
    const b = await r.verify('boot/bad.c');
    assert.equal(b.status, 'syntax-error', JSON.stringify(b));
  } finally {
    r.close();
  }
});

test('Linux kernel code checked against the host\'s user-space linux/*.h is missing the kernel tree, not a syntax error; user-space code is not', async () => {
  const drv = '#ifndef DRV_H\n#define DRV_H\n#include <linux/kernel.h>\n#include <linux/pci.h>\n\nstruct drv_dev {\n  struct pci_dev *pdev;\n  void __iomem *bar[6];\n};\n#endif\n';
  const user = '#include <linux/types.h>\n#include <stdio.h>\nint main(void) { __u32 x = 1; printf("%u\\n", x) return 0; }\n';
  assert.deepEqual(linuxKernelHeaders(drv), ['linux/kernel.h', 'linux/pci.h']);
  assert.deepEqual(linuxKernelHeaders(user), []);
  requireTool('gcc');
  await requireBwrap();
  const r = repoVerifier({ 'driver/drv.h': drv, 'tools/probe.c': user });
  try {
    const v = await r.verify('driver/drv.h');
    assert.equal(v.status, 'missing-dependency', JSON.stringify(v));
    assert.equal(v.kind, 'kernel-headers');
    assert.deepEqual(v.missing, ['linux/kernel.h', 'linux/pci.h']);
    const u = await r.verify('tools/probe.c');
    assert.equal(u.status, 'syntax-error', JSON.stringify(u));
  } finally {
    r.close();
  }
});

test('an assembler macro header that only .S files include is not checked as C; a C header with the same syntax error stays one', async () => {
  requireTool('gcc');
  await requireBwrap();
  // picorv32-style test macros: `#---` comment lines are valid only to the assembler's preprocessor mode.
  const macros = '#ifndef TEST_MACROS_H\n#define TEST_MACROS_H\n#-----------------------------------------\n# Helper macros\n#-----------------------------------------\n#define TEST_CASE(n, reg, val, code) \\\n  test_ ## n: code; li x29, val; li gp, n; bne reg, x29, fail;\n#endif\n';
  const r = repoVerifier({
    'tests/macros.h': macros,
    'tests/add.S': '#include "macros.h"\n  .text\nTEST_CASE(2, x3, 0, add x3, x0, x0)\nfail: j fail\n',
    // Same text, but a C source includes it: a C header, and broken as one.
    'lib/cfg.h': macros,
    'lib/use.c': '#include "cfg.h"\nint main(void) { return 0; }\n',
    'lib/boot.S': '#include "cfg.h"\n',
    // Only a .S includes it, but even the preprocessor rejects it (unterminated #if).
    'tests/broken.h': '#if 1\n#---\n',
    'tests/sub.S': '#include "broken.h"\n',
  });
  try {
    const v = await r.verify('tests/macros.h');
    assert.equal(v.status, 'not-checked', JSON.stringify(v));
    assert.equal(v.kind, 'assembler-header');
    assert.equal(v.includedFrom, 'tests/add.S');
    const c = await r.verify('lib/cfg.h');
    assert.equal(c.status, 'syntax-error', JSON.stringify(c));
    const b = await r.verify('tests/broken.h');
    assert.equal(b.status, 'syntax-error', JSON.stringify(b));
  } finally {
    r.close();
  }
});
