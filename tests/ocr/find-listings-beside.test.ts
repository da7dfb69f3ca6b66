import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findListings } from '../../ocr/find-listings.js';
import type { Line, Run } from '../../ocr/layout.js';

// A code line and a figure's label on one baseline (NVIDIA's HyperQ whitepaper p. 4 has
// `B<<<gdim,bdim,smem,streams[i]>>>();` and "Work Distributor" side by side).
const H = 10;
const run = (text: string, x: number, mono: boolean): Run => ({ text, x, y: 0, width: text.length * 6, height: H, mono });
const line = (y: number, runs: Run[]): Line => ({ page: 1, runs: runs.map((r) => ({ ...r, y })), x0: runs[0]!.x, x1: Math.max(...runs.map((r) => r.x + r.width)), y0: y, y1: y + H });

test('a code line with a proportional label far to its right stays in its listing, without the label', () => {
  const lines = [
    line(0, [run('for (int i = 0; i < 3; i++)', 50, true)]),
    line(12, [run('{', 50, true)]),
    line(24, [run('    A<<<gdim,bdim>>>();', 50, true)]),
    line(36, [run('    B<<<gdim,bdim>>>();', 50, true), run('Work Distributor of the grid', 400, false)]),
    line(48, [run('    C<<<gdim,bdim>>>();', 50, true), run('(16 active grids at a time)', 400, false)]),
    line(60, [run('}', 50, true)]),
  ];
  const [block, ...rest] = findListings(lines);
  assert.equal(rest.length, 0, 'one listing, not cut at the labelled lines');
  assert.equal(block!.lines.length, 6);
  const texts = block!.lines.map((l) => l.runs.map((r) => r.text).join(''));
  assert.equal(texts[3], '    B<<<gdim,bdim>>>();');
  assert.ok(texts.every((t) => !/Distributor|active/.test(t)));
});

test('definition-list lines with descriptions beside them, with no plain code line next to them, stay prose', () => {
  const lines = [
    line(0, [run('The hash functions are:', 50, false)]),
    line(12, [run('struct nettle_hash nettle_sm3', 50, true), run('The SM3 hash function, described in the standard', 400, false)]),
    line(24, [run('It is a 256-bit hash with a long prose description.', 50, false)]),
  ];
  assert.equal(findListings(lines).length, 0);
});
