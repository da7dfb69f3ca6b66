import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareAst } from '../../annotate/ast-compare.js';
import { normalizeText } from '../../annotate/normalize.js';
import { createNormalizeStage } from '../../annotate/normalize-stage.js';
import type { Doc } from '../../pipeline/doc.js';
import { makeDoc } from '../helpers.js';
import { runStage } from './stage-harness.js';

test('normalize fixes BOM, CRLF, trailing whitespace, NFC, blank runs and the final newline', () => {
  const text = '\uFEFFint x;  \r\n\r\n\r\n\r\n\r\nint y; // cafe\u0301\t\r\n\r\n';
  const r = normalizeText(text, 'c');
  assert.equal(r.text, 'int x;\n\n\nint y; // caf\u00e9\n');
  assert.deepEqual(r.changes, ['bom', 'crlf', 'nfc', 'trailing-whitespace', 'blank-runs', 'final-newline']);
  assert.deepEqual(normalizeText(r.text, 'c').changes, [], 'idempotent');
});

test('normalize never touches what is semantic', () => {
  // Makefile: recipe tabs and a trailing space inside a variable value.
  const mk = 'CFLAGS = -O2 \nall:\n\tcc $(CFLAGS) -o a a.c\n';
  assert.equal(normalizeText(mk, 'make').text, mk);
  // Python indentation.
  const py = 'def f(x):\n    if x:\n        return 1\n    return 2\n';
  assert.equal(normalizeText(py, 'python').text, py);
  // A backslash followed by spaces is not a continuation; stripping would make it one.
  const v = '`define ADD(a, b) \\  \n  a + b\nmodule m; endmodule\n';
  assert.equal(normalizeText(v, 'verilog').text, v);
  // Surface-only mode for languages no grammar checks.
  assert.equal(normalizeText('set x 1   \n\n\n\n\nputs $x', 'tcl', { surfaceOnly: true }).text, 'set x 1   \n\n\n\n\nputs $x\n');
});

test('AST comparison ignores comments and whitespace, catches changed literals', () => {
  assert.deepEqual(compareAst('c', 'int  f(void){return 1;} // a', 'int f(void) {\n  return 1;\n}\n/* b */'), { equal: true });
  const s = compareAst('c', 'const char *s = "a  ";', 'const char *s = "a";')!;
  assert.equal(s.equal, false);
  assert.match(s.reason!, /string|text changed/);
  assert.equal(compareAst('c', 'int x = 1;', 'int x = 2;')!.equal, false);
  assert.equal(compareAst('verilog', 'module m(input a, output y); assign y = a; endmodule', 'module m(input a, output y);\n  assign y = a; // c\nendmodule\n')!.equal, true);
  assert.equal(compareAst('verilog', 'module m(input a, output y); assign y = a; endmodule', 'module m(input a, output y); assign y = ~a; endmodule')!.equal, false);
  assert.equal(compareAst('markdown', 'a', 'b'), null);
});

test('normalize stage keeps a refinement only when the trees are equal', async () => {
  const docs: Doc[] = [
    makeDoc('a.c', 'int main(void) {   \r\n  return 0;\r\n}'),
    // Trailing spaces inside a triple-quoted string are content: the refinement must be rejected.
    makeDoc('b.py', 'X = """line with spaces   \nend"""\n\n\n\n\ndef f():\n    return X\n'),
    makeDoc('c.tcl', 'puts hi   \r\n'),
    makeDoc('d.c', 'int y;\n'),
  ];
  const { kept, stats } = await runStage(createNormalizeStage(), docs);
  const [a, b, c, d] = kept;
  assert.equal(a!.text, 'int main(void) {\n  return 0;\n}\n');
  assert.deepEqual(a!.modifiedBy, ['normalize']);
  assert.equal((a!.annotations.normalize as { check: string }).check, 'ast-equal');
  assert.equal(b!.text, 'X = """line with spaces   \nend"""\n\n\n\n\ndef f():\n    return X\n', 'original kept');
  assert.deepEqual(b!.modifiedBy, []);
  assert.match(String((b!.annotations.normalize as { rejected: string }).rejected), /string|text changed/);
  assert.equal(c!.text, 'puts hi   \n', 'no grammar: only surface fixes');
  assert.deepEqual(d!.modifiedBy, []);
  assert.equal(stats.counters?.['ast-rejected'], 1);
  assert.equal(stats.counters?.refined, 2);
});
