import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeWhitespace } from '../../dedup/normalize-whitespace.js';
import { computeTextFeatures } from '../../filters/text-features.js';

test('whitespace normalization folds indentation style, trailing spaces, CRLF and blank lines', () => {
  const a = 'module m;\n    assign y = a;\n\nendmodule\n';
  const b = 'module m;  \r\n\tassign  y = a;\r\n\r\n\r\nendmodule';
  assert.equal(normalizeWhitespace(a), normalizeWhitespace(b));
  assert.equal(computeTextFeatures(a).normSha256, computeTextFeatures(b).normSha256);
});

test('whitespace normalization keeps every non-space character', () => {
  const a = 'assign y = a;\n';
  const b = 'assign y = b;\n';
  assert.notEqual(normalizeWhitespace(a), normalizeWhitespace(b));
  assert.notEqual(normalizeWhitespace('a b'), normalizeWhitespace('ab'), 'a space between tokens is not erased');
});
