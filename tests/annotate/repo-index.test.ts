import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRepoIndexer } from '../../annotate/verify/repo-index.js';
import { resolveContext } from '../../annotate/verify/repo-context.js';
import { findInstantiations, stripComments } from '../../annotate/verify/hdl-scan.js';
import { stubsFor } from '../../annotate/verify/blackbox-stubs.js';
import { vendorLibraryFor } from '../../annotate/verify/vendor-models.js';
import { openCorpus } from '../../corpus/db.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { makeTempDir, writeTree } from '../helpers.js';

test('repository index: paths resolve by exact path, nearest ancestor, then longest suffix (a symlinked lib/ dir)', async () => {
  const root = writeTree(makeTempDir(), {
    'rtl/fifo.v': 'module fifo; endmodule\n',
    'example/board/rtl/top.v': 'module top;\n  fifo u ();\nendmodule\n',
    'example/board/rtl/other/fifo.v': 'module fifo; endmodule\n',
    'example/board/fpga/Makefile': 'SYN_FILES = rtl/top.v\nSYN_FILES += lib/eth/rtl/fifo.v\n',
    'inc/defs.vh': '`define W 8\n',
  });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    crawlDir(db, { path: root, repo: 'r' });
    const ix = await createRepoIndexer(db).index('r', 'hdl');
    assert.equal(ix.resolvePath('rtl/top.v', 'example/board/fpga')?.path, 'example/board/rtl/top.v', 'an ancestor of the build file');
    assert.equal(ix.resolvePath('lib/eth/rtl/fifo.v', 'example/board/fpga')?.path, 'rtl/fifo.v', 'by suffix: lib/eth was a symlink to the root');
    assert.equal(ix.bySuffix('defs.vh')[0]?.path, 'inc/defs.vh');
    // The build list decides which fifo.v the top gets, not the nearest directory.
    const ctx = resolveContext('example/board/rtl/top.v', 'module top;\n  fifo u ();\nendmodule\n', ix, true);
    assert.deepEqual(ctx.order, ['example/board/rtl/top.v', 'rtl/fifo.v']);
    assert.match(ctx.buildList!, /Makefile \(SYN_FILES\)/);
  } finally {
    db.close();
  }
});

test('instantiation scanner and black-box stubs: named and positional ports and parameters, keywords and gates left out', () => {
  const src = stripComments('module t;\n  // ghost g0 (.a(1));\n  ghost #(.W(8), .D("x")) g1 (.a(x), .b({y, z}));\n  pos_mod #(4, 2) p (a, b, c);\n  and g (o, a, b);\n  if (x) begin end\n  wire [3:0] w;\n  arr_mod u [3:0] (.q(w));\nendmodule\n');
  const inst = findInstantiations(src);
  assert.deepEqual(inst.map((i) => i.module), ['ghost', 'pos_mod', 'arr_mod']);
  assert.deepEqual(inst[0], { module: 'ghost', params: ['W', 'D'], ports: ['a', 'b'] });
  assert.deepEqual(inst[1], { module: 'pos_mod', params: 2, ports: 3 });
  const { text, stubbed } = stubsFor(['ghost', 'pos_mod', 'never_used'], [src]);
  assert.deepEqual(stubbed, ['ghost', 'pos_mod']);
  assert.match(text, /\(\* blackbox \*\)\nmodule ghost\(a, b\);\n  parameter W = 0;\n  parameter D = 0;\n  input a;\n  input b;\nendmodule/);
  assert.match(text, /module pos_mod\(p0, p1, p2\);\n  parameter P0 = 0;\n  parameter P1 = 0;/);
});

test('vendor models: the family covering most names wins; yosys-only (...) port lists are rewritten', () => {
  const lib = vendorLibraryFor(['BUFG', 'IBUFGDS', 'MMCME2_BASE', 'NOT_A_PRIMITIVE']);
  assert.deepEqual(lib.families, ['xilinx']);
  assert.deepEqual(lib.unknown, ['NOT_A_PRIMITIVE']);
  assert.match(lib.libs[0]!.text, /module MMCME2_BASE \(CLKFBOUT, /);
  assert.doesNotMatch(lib.libs[0]!.text, /\(\.\.\.\)/);
  assert.deepEqual(vendorLibraryFor(['SB_IO', 'SB_PLL40_CORE']).families, ['ice40']);
});
