import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proveRefinement, type RefinementProof } from '../../annotate/verify/refinement-proof.js';
import type { CheckEnv, CheckInput } from '../../annotate/verify/run-check.js';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { withProofEnv, plant, readReal, REAL, redact, tidy, untidy } from './refinement-fixtures.js';

const prove = (env: CheckEnv, lang: string, before: string, after: string, path: string, ctx: Partial<CheckInput> = {}, domain = 'general'): Promise<RefinementProof | null> =>
  proveRefinement(lang, domain, before, { target: { path, text: after }, ...ctx }, env);

const expectProof = (p: RefinementProof | null, status: string, method: string, what: string): RefinementProof => {
  assert.ok(p, `${what}: a proof applies`);
  assert.equal(p.status, status, `${what}: ${JSON.stringify(p)}`);
  assert.equal(p.method, method, `${what}: ${JSON.stringify(p)}`);
  return p;
};

test('Verilog: layout and comment refinements of real cell libraries are identical, a flipped operator is a mismatch', async () => {
  requireTool('yosys');
  requireTool('verilator');
  requireBwrap();
  await withProofEnv(async (env) => {
    // Adders and muxes in generate-case blocks: normalizing shifts every line, which renames yosys's $add$<file>:<line>$N cells.
    const anlogic = untidy(readReal(REAL.anlogicCells));
    const [layout, comment, flipped, commuted, processes] = await Promise.all([
      prove(env, 'verilog', anlogic, tidy(anlogic, 'verilog'), 'rtl/cells_sim.v'),
      prove(env, 'verilog', anlogic, plant(anlogic, '//FF,LATCH', '// flip-flop or latch'), 'rtl/cells_sim.v'),
      prove(env, 'verilog', anlogic, plant(anlogic, 'assign o = a + b + c;', 'assign o = a + b - c;'), 'rtl/cells_sim.v'),
      prove(env, 'verilog', anlogic, plant(anlogic, 'assign o = a + b + c;', 'assign o = (c + b) + a;'), 'rtl/cells_sim.v'),
      // Processes, counters and latches.
      prove(env, 'verilog', untidy(readReal(REAL.greenpakDigital)), tidy(untidy(readReal(REAL.greenpakDigital)), 'verilog'), 'greenpak4/cells_sim_digital.v'),
    ]);
    expectProof(layout, 'identical', 'rtlil', 'whitespace-only');
    expectProof(comment, 'identical', 'rtlil', 'comment-only');
    expectProof(processes, 'identical', 'rtlil', 'processes');
    const m = expectProof(flipped, 'mismatch', 'equiv', 'operator flipped');
    assert.match(m.detail, /design differs in \\AL_MAP_ADDER and yosys equiv could not prove it equivalent/);
    // yosys equiv proves the commuted adder equivalent; the text a simulator reads still changed.
    assert.match(expectProof(commuted, 'mismatch', 'equiv', 'commuted').detail, /synthesized design equivalent, but the preprocessed text differs/);
  });
});

test('Verilog: an e-mail redacted from a copyright comment is identical; SystemVerilog yosys cannot read falls back to the token stream', async () => {
  requireTool('yosys');
  requireTool('verilator');
  await withProofEnv(async (env) => {
    const achronix = readReal(REAL.achronixCells);
    const sub = untidy(readReal(REAL.verilatorSub));
    const [email, svLayout, svFlip, hostile] = await Promise.all([
      prove(env, 'verilog', achronix, await redact(achronix, 'verilog', 'cells_sim.v'), 'achronix/cells_sim.v'),
      prove(env, 'systemverilog', sub, tidy(sub, 'systemverilog'), 'sub.v'),
      prove(env, 'systemverilog', sub, plant(sub, 'count_c <= count_c + 1;', 'count_c <= count_c - 1;'), 'sub.v'),
      // A path that would inject a command into a yosys script never reaches one.
      prove(env, 'verilog', achronix, `${achronix}\n`, 'rtl/a b;shell touch pwned".v'),
    ]);
    expectProof(hostile, 'identical', 'preprocessed', 'unsafe path');
    expectProof(email, 'identical', 'rtlil', 'email in copyright');
    expectProof(svLayout, 'identical', 'preprocessed', 'assertions yosys rejects');
    assert.match(expectProof(svFlip, 'mismatch', 'preprocessed', 'sv flip').detail, /preprocessed text differs \(yosys cannot read the file\)/);
  });
});

test('C: layout and comment refinements of real sources are identical; flipped operators, retargeted calls, moved __LINE__ and redacted strings are mismatches', async () => {
  requireTool('gcc');
  requireTool('arm-none-eabi-gcc');
  await withProofEnv(async (env) => {
    const ctx = { headers: [{ path: 'src/fastlz.h', text: readReal(REAL.fastlzH) }], includeDirs: ['src'] };
    const fastlz = untidy(readReal(REAL.fastlzC));
    // A planted assert: its message carries __FILE__ and __LINE__ — the same path makes __FILE__ equal, the collapsed blank lines move __LINE__.
    const asserted = plant(plant(fastlz, '#include "fastlz.h"', '#include "fastlz.h"\n#include <assert.h>'), '  if(length < 65536)', '\n\n\n\n\n  assert(length > 0);\n  if(length < 65536)');
    const author = plant(fastlz, '#define FASTLZ_SAFE', '#define FASTLZ_SAFE\nconst char *fastlz_author = "Ariya Hidayat <ariya@kde.org>";');
    const retarget = untidy(readReal(REAL.armRetarget));
    // Inline asm (as in picorv32's firmware): gcc tags it with its source line, which the layout fix moves.
    const inlineAsm = plant(fastlz, '  if(length < 65536)', '  __asm__ volatile ("nop");\n  if(length < 65536)');
    const [layout, email, flip, call, line, literal, embedded, asm] = await Promise.all([
      prove(env, 'c', fastlz, tidy(fastlz, 'c'), 'src/fastlz.c', ctx),
      prove(env, 'c', fastlz, await redact(fastlz, 'c', 'fastlz.c'), 'src/fastlz.c', ctx),
      prove(env, 'c', fastlz, plant(fastlz, 'while(ip < ip_bound)', 'while(ip <= ip_bound)'), 'src/fastlz.c', ctx),
      // A call to another function of the same signature moves no .text byte (only a relocation); the assembly differs.
      prove(env, 'c', fastlz, plant(fastlz, 'return fastlz1_compress(input, length, output);', 'return fastlz2_compress(input, length, output);'), 'src/fastlz.c', ctx),
      prove(env, 'c', asserted, tidy(asserted, 'c'), 'src/fastlz.c', ctx),
      prove(env, 'c', author, await redact(author, 'c', 'fastlz.c'), 'src/fastlz.c', ctx),
      prove(env, 'c', retarget, tidy(retarget, 'c'), 'retarget.c', {}, 'embedded'),
      prove(env, 'c', inlineAsm, tidy(inlineAsm, 'c'), 'src/fastlz.c', ctx),
    ]);
    expectProof(asm, 'identical', 'assembly', 'inline asm');
    expectProof(layout, 'identical', 'assembly', 'whitespace-only');
    expectProof(email, 'identical', 'assembly', 'email in copyright');
    assert.match(expectProof(flip, 'mismatch', 'assembly', 'flip').detail, /assembly differs from line \d+, in section \.text/);
    expectProof(call, 'mismatch', 'assembly', 'retargeted call');
    expectProof(line, 'mismatch', 'assembly', '__LINE__ moved');
    assert.match(expectProof(literal, 'mismatch', 'assembly', 'email in a string').detail, /section \.(rodata|data)/);
    expectProof(embedded, 'identical', 'assembly', 'arm-none-eabi-gcc');
    assert.equal(embedded!.tool, 'arm-none-eabi-gcc');
    // The stored detail never carries source text: the redaction proof's `before` holds the e-mail.
    assert.doesNotMatch(JSON.stringify(literal), /ariya@kde\.org/);
  });
});

test('headers and Python: macro definitions and syntax trees decide', async () => {
  requireTool('gcc');
  requireTool('python3');
  await withProofEnv(async (env) => {
    const tree = untidy(readReal(REAL.newlibTree));
    const ctx = { includeDirs: ['/usr/include/newlib'] };
    const py = readReal(REAL.yosysPython);
    const [layout, email, macro, pyEmail, pyCode] = await Promise.all([
      prove(env, 'c', tree, tidy(tree, 'c'), 'sys/tree.h', ctx),
      prove(env, 'c', tree, await redact(tree, 'c', 'tree.h'), 'sys/tree.h', ctx),
      // Only the macro table shows this: no code uses RB_RED in the header itself.
      prove(env, 'c', tree, plant(tree, '#define RB_RED\t\t1', '#define RB_RED\t\t2'), 'sys/tree.h', ctx),
      prove(env, 'python', py, await redact(py, 'python', 'ywio.py'), 'ywio.py'),
      prove(env, 'python', py, plant(py, 'self.indent = 0', 'self.indent = 1'), 'ywio.py'),
    ]);
    expectProof(layout, 'identical', 'preprocessed', 'header layout');
    expectProof(email, 'identical', 'preprocessed', 'header email');
    expectProof(macro, 'mismatch', 'preprocessed', 'macro value');
    expectProof(pyEmail, 'identical', 'ast', 'python comment');
    expectProof(pyCode, 'mismatch', 'ast', 'python code');
    assert.equal(await prove(env, 'tcl', 'a', 'b', 'x.tcl'), null, 'no proof applies to Tcl');
  });
});

// A top and a leaf we wrote: the leaf's concurrent assertion is something yosys rejects without -formal.
const TOP = `module top(input clk, input [7:0] a, input [7:0] b, output [7:0] y);   \n  wire [7:0] s;\n\n\n\n  assign s = a + b;\t\n  leaf #(.W(8)) u_leaf(.clk(clk), .d(s), .q(y));\nendmodule\n`;
const LEAF = 'module leaf #(parameter W = 1) (input clk, input [W-1:0] d, output reg [W-1:0] q);\n  always @(posedge clk) q <= d;\n  cover property (@(posedge clk) q == d);\nendmodule\n';

test('Verilog: a top is proven on its own modules, its dependencies left unread (a SoC top whose closure yosys cannot or need not elaborate twice)', async () => {
  requireTool('yosys');
  requireTool('verilator');
  requireBwrap();
  await withProofEnv(async (env) => {
    const deps = [{ path: 'rtl/leaf.v', text: LEAF }];
    const [layout, flipped] = await Promise.all([
      prove(env, 'verilog', TOP, tidy(TOP, 'verilog'), 'rtl/top.v', { deps }),
      prove(env, 'verilog', TOP, plant(TOP, 'a + b', 'a - b'), 'rtl/top.v', { deps }),
    ]);
    // Reading the whole closure fails on both sides (the leaf); the top's own modules are equal RTLIL.
    expectProof(layout, 'identical', 'rtlil', 'layout of a top with an unreadable dependency');
    // A difference in the target alone is never taken from it: the whole closure is read, fails, and the token stream shows the change.
    expectProof(flipped, 'mismatch', 'preprocessed', 'flipped operator in the top');
  });
});
