import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMonoRegions } from '../../ocr/fixed-pitch.js';
import { wordGridFit } from '../../ocr/word-grid.js';
import type { LayoutLine, PixelBox } from '../../ocr/tesseract-pool.js';

/**
 * Lines as tesseract's layout analysis gave them for bzip2's manual p. 8 at
 * 200 DPI (DocBook: Courier words, placed one by one): glyphs 16.6 px apart
 * inside a word, word gaps of 2.1–3.1 cells that are no whole number of cells.
 */
function wordLine(row: number, words: ReadonlyArray<readonly [start: number, glyphs: number]>, advance: (i: number) => number = () => 16.6): LayoutLine {
  const blobs: PixelBox[] = [];
  const y0 = 1350 + row * 33;
  for (const [start, n] of words) {
    let x = start;
    for (let i = 0; i < n; i++) {
      blobs.push({ x0: Math.round(x + 2), x1: Math.round(x + 13), y0, y1: y0 + 20 });
      x += advance(blobs.length);
    }
  }
  return { x0: blobs[0]!.x0, y0, x1: blobs[blobs.length - 1]!.x1, y1: y0 + 22, rowHeight: 25, blobs };
}

// `Compression:   400k + ( 8 x block size )`, `Decompression: 100k + ( 4 x block size ), or`, `100k + ( 2.5 x block size )`
const formula = [
  wordLine(0, [[252, 12], [487, 4], [565, 1], [599, 1], [623, 1], [649, 1], [677, 5], [774, 4], [853, 1]]),
  wordLine(1, [[251, 14], [497, 4], [574, 1], [609, 1], [632, 1], [659, 1], [687, 5], [783, 4], [863, 2], [906, 2]]),
  wordLine(2, [[430, 4], [507, 1], [541, 1], [564, 3], [625, 1], [652, 5], [749, 4], [829, 1]]),
];

test('wordGridFit: Courier words placed one by one sit on one pitch, each word with its own phase; the line as a whole does not', () => {
  for (const l of formula) {
    const w = wordGridFit(l);
    assert.ok(w && w.strength > 0.99, JSON.stringify(w));
    assert.ok(Math.abs(w.pitch - 16.6) < 0.2, `pitch ${w.pitch}`);
  }
  // Proportional prose (advances 0.3–0.9 em within words) stays far under.
  const widths = [9, 15, 22, 12, 7, 14, 18, 10, 8, 16, 11, 20];
  const prose = wordLine(4, [[200, 7], [330, 5], [430, 9], [600, 4], [690, 8]], (i) => widths[i % widths.length]!);
  assert.ok((wordGridFit(prose)?.strength ?? 0) < 0.85, JSON.stringify(wordGridFit(prose)));
  assert.equal(wordGridFit(wordLine(5, [[200, 2], [260, 2], [320, 1]])), null, 'too few glyphs in words to judge');
});

test('findMonoRegions: a formula set in word-placed Courier is a listing (bzip2 manual p. 8, lost before)', () => {
  const regions = findMonoRegions(formula);
  assert.deepEqual(regions.map((r) => r.lines), [[0, 1, 2]]);
  assert.ok(Math.abs(regions[0]!.pitch - 16.6) < 0.3, `pitch ${regions[0]!.pitch}`);
});
