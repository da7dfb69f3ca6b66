import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { errorRatio, maskCuda, parseSource } from '../../annotate/tree-sitter.js';

test('every grammar loads and parses clean code without errors', () => {
  const cases: Array<[string, string]> = [
    ['c', 'int add(int a, int b) { return a + b; }\n'],
    ['cpp', 'namespace x { template <class T> T id(T v) { return v; } }\n'],
    ['python', 'def f(x):\n    return x + 1\n'],
    ['verilog', 'module m(input a, output y);\n  assign y = ~a;\nendmodule\n'],
    ['systemverilog', 'module m(input logic clk, output logic q);\n  always_ff @(posedge clk) q <= ~q;\nendmodule\n'],
  ];
  for (const [lang, text] of cases) {
    const tree = parseSource(lang, text)!;
    assert.equal(tree.rootNode.hasError, false, `${lang}: ${tree.rootNode.toString()}`);
  }
  assert.equal(parseSource('markdown', '# hi'), null);
});

test('CUDA parses cleanly with the C++ grammar once masked, and offsets are preserved', () => {
  const cu = '__global__ void __launch_bounds__(256) k(float *__restrict__ x) {\n  __shared__ float t[256];\n  x[threadIdx.x] = t[0];\n}\nvoid go(float *x) { k<<<dim3(1, 1),\n 256>>>(x); }\n';
  assert.equal(maskCuda(cu).length, cu.length);
  assert.equal(maskCuda(cu).split('\n').length, cu.split('\n').length);
  const tree = parseSource('cuda', cu)!;
  assert.equal(tree.rootNode.hasError, false, tree.rootNode.toString());
  assert.equal(errorRatio(tree, cu.length), 0);
});

test('large inputs parse (the binding rejects single strings over 32 KiB)', () => {
  const big = Array.from({ length: 3000 }, (_, i) => `int f${i}(void) { return ${i}; }`).join('\n');
  assert.ok(big.length > 64 * 1024);
  const tree = parseSource('c', big)!;
  assert.equal(tree.rootNode.namedChildCount, 3000);
});

test('syntax errors give a positive error ratio', () => {
  const text = 'module m(input a; assign = ; endmodule';
  const tree = parseSource('verilog', text)!;
  assert.ok(errorRatio(tree, text.length) > 0);
});

test('real Verilog nobody here wrote parses: /usr/share/yosys/*.v (apt-get install yosys)', () => {
  const dir = '/usr/share/yosys';
  const files = readdirSync(dir).filter((f) => f.endsWith('.v'));
  assert.ok(files.length > 5, `${dir} is missing: run scripts/setup.sh (apt-get install yosys)`);
  let clean = 0;
  for (const f of files) {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    if (errorRatio(parseSource('verilog', text)!, text.length) < 0.01) clean++;
  }
  // tree-sitter-verilog 1.0 trips on yosys's escaped `\\$__` cell names in the
  // abc9/techmap files; the simulation libraries parse cleanly.
  assert.ok(clean / files.length >= 0.5, `${clean}/${files.length} yosys techlib files parse with < 1% errors`);
  const simcells = readFileSync(`${dir}/simcells.v`, 'utf8');
  assert.equal(errorRatio(parseSource('verilog', simcells)!, simcells.length), 0, 'simcells.v parses cleanly');
});

test("a thread's two latest trees are reused for the same language and text; others parse afresh to the same tree", () => {
  const a = 'module m(input a, output b);\n  assign b = a;\nendmodule\n';
  const b = a.replace('assign b = a;', 'assign b = ~a;');
  const ta = parseSource('verilog', a)!;
  // Normalize's AST check parses original then refined; annotate then asks for one of them again.
  const tb = parseSource('verilog', b)!;
  assert.equal(parseSource('verilog', a), ta);
  assert.equal(parseSource('verilog', b), tb);
  // The same text in another language is another tree; an equal text built anew is the same key.
  const c = 'int main(void) { return 0; }\n';
  assert.notEqual(parseSource('c', c), parseSource('cpp', c));
  assert.equal(parseSource('cpp', ['int main(void) {', ' return 0; }\n'].join('')), parseSource('cpp', c));
  // Pushed out by two newer ones: parsed again, to the same tree.
  const again = parseSource('verilog', a)!;
  assert.notEqual(again, ta);
  assert.equal(again.rootNode.toString(), ta.rootNode.toString());
});
