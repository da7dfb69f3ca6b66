import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { repoVerifier } from './verify-env.js';

// A top and a leaf we wrote: the leaf's port width follows its parameter, which the top sets to 8.
const FILES = {
  'rtl/top.v': 'module top(input clk, input [7:0] a, input [7:0] b, output [7:0] y);\n  wire [7:0] s = a ^ b;\n  leaf #(.W(8)) u_leaf(.clk(clk), .d(s), .q(y));\nendmodule\n',
  'rtl/leaf.v': 'module leaf #(parameter W = 1) (input clk, input [W-1:0] d, output reg [W-1:0] q);\n  always @(posedge clk) q <= d + 1;\nendmodule\n',
};

test('synthesis: dependencies are black boxes elaborated at the parameters the file uses (read -defer -lib), only the file\'s own cells counted', async () => {
  requireTool('yosys');
  requireTool('iverilog');
  requireBwrap();
  const r = repoVerifier(FILES, { synth: true });
  try {
    const top = await r.verify('rtl/top.v');
    assert.equal(top.status, 'compiles');
    assert.equal(top.synth?.status, 'compiles', JSON.stringify(top.synth));
    assert.equal(top.synth?.top, 'top');
    // The top's own XOR, 8 bits: the leaf's adder and flip-flops belong to the leaf's own run.
    assert.ok((top.synth?.cells ?? 0) > 0 && (top.synth?.cells ?? 0) <= 16, JSON.stringify(top.synth));
    // The black box is derived at W=8: its ports match the 8-bit connections.
    assert.doesNotMatch(top.synth!.log, /Resizing cell port/);
    const leaf = await r.verify('rtl/leaf.v');
    assert.equal(leaf.synth?.status, 'compiles');
    assert.ok((leaf.synth?.cells ?? 0) > (top.synth?.cells ?? 0) / 8, JSON.stringify(leaf.synth));
  } finally {
    r.env.pool.close();
    r.db.close();
  }
});
