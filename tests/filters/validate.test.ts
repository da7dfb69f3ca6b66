import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Doc } from '../../pipeline/doc.js';
import { makeDoc } from '../helpers.js';
import { DEFAULT_VALIDATE_OPTIONS, validateDoc, type ValidateOptions } from '../../filters/validate.js';

const docOf = makeDoc;

const reasonOf = (doc: Doc, o: Partial<ValidateOptions> = {}): string => {
  const r = validateDoc(doc, { ...DEFAULT_VALIDATE_OPTIONS, ...o });
  return r === true ? 'keep' : r.reason;
};

test('validate keeps ordinary industrial code', () => {
  assert.equal(reasonOf(docOf('alu.v', 'module alu(input [7:0] a, b, output [7:0] y);\n  assign y = a + b;\nendmodule\n')), 'keep');
});

test('validate drops files the crawler stored without content, by the crawler status', () => {
  for (const status of ['binary', 'symlink', 'bad-encoding', 'too-large'] as const) {
    const doc = { ...docOf('x.bin', ''), crawlStatus: status, crawlReason: 'why', text: null, features: null };
    assert.equal(reasonOf(doc), status);
  }
});

test('validate rules each give their own reason', () => {
  assert.equal(reasonOf(docOf('e.v', ' \n\n\t\n')), 'empty');
  assert.equal(reasonOf(docOf('big.v', 'module m; endmodule\n'), { maxBytes: 5 }), 'too-large');
  assert.equal(reasonOf(docOf('long.c', `int x = ${'1+'.repeat(600)}1;\n`)), 'max-line-length');
  assert.equal(reasonOf(docOf('wide.c', `${'int a_very_long_name_for_testing_mean_line_lengths = 0; '.repeat(3)}\n`.repeat(5))), 'mean-line-length');
  assert.equal(reasonOf(docOf('sym.c', '{}[]();;;{}[]();;; // +-*/ ==\n'.repeat(4))), 'alnum-fraction');
  assert.equal(reasonOf(docOf('data.xyz', 'some words here\n')), 'unknown-language');
  assert.equal(reasonOf(docOf('data.xyz', 'some words here\n'), { dropUnknownLanguage: false }), 'keep');
});

test('CRLF line endings do not count toward line length', () => {
  const doc = docOf('crlf.c', 'int a;\r\nint b;\r\n');
  assert.equal(doc.features?.maxLineLength, 6);
  assert.equal(doc.features?.lines, 2);
});
