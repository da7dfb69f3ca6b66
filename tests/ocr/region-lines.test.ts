import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMonoRegions, joinRowFragments, splitBesideLabels } from '../../ocr/fixed-pitch.js';
import { ownWords } from '../../ocr/ocr-page.js';
import type { LayoutLine, OcrWord } from '../../ocr/tesseract-pool.js';

/**
 * Layout lines and words as tesseract returns them for the page shapes that
 * went wrong on NVIDIA's CUDA whitepapers scanned at 200 DPI (2026-12-03),
 * built on a 13-px grid with 33-px rows so each test controls the geometry.
 */
const PITCH = 13;
function line(row: number, col: number, cells: number, opts: { x0?: number; rowHeight?: number; boxHeight?: number; pitch?: number } = {}): LayoutLine {
  const pitch = opts.pitch ?? PITCH;
  const x0 = (opts.x0 ?? 200) + col * PITCH;
  const y0 = 100 + row * 33;
  const h = opts.boxHeight ?? 19;
  const blobs = Array.from({ length: cells }, (_, i) => ({ x0: x0 + i * pitch + 2, x1: x0 + i * pitch + 10, y0, y1: y0 + h }));
  return { x0, y0, x1: x0 + cells * pitch, y1: y0 + h, rowHeight: opts.rowHeight ?? 20, blobs };
}

/** A word of `text` whose glyphs start at grid column `col` (cell centres at x + 6 + 13k). */
/** A line of proportional text: glyph advances of 5-30 px, off any grid. */
function proseLine(row: number, glyphs: number): LayoutLine {
  const l = line(row, 0, glyphs);
  let x = l.x0;
  l.blobs = l.blobs.map((b, i) => {
    const w = [5, 22, 6, 18, 9, 25, 7, 14, 30, 6, 11, 20][i % 12]!;
    const out = { ...b, x0: x, x1: x + w - 2 };
    x += w;
    return out;
  });
  return l;
}

function word(text: string, col: number, y0 = 100, x = 0): OcrWord {
  const n = [...text].length;
  const symbols = Array.from({ length: n }, (_, i) => ({ x0: x + (col + i) * PITCH + 2, x1: x + (col + i) * PITCH + 10, y0, y1: y0 + 15 }));
  return { text, confidence: 90, x0: x + col * PITCH + 2, x1: x + (col + n - 1) * PITCH + 10, y0, y1: y0 + 19, baseline: y0 + 15, rowHeight: 19, symbols };
}

test('findMonoRegions: a heading set twice the body size is no code, even when its capitals sit on a grid', () => {
  // Prose (off any grid), a one-line listing, a bold heading ("Pseudo Code": 10 even-width
  // glyphs, row 45 px, box 39 px), then the next listing: the heading joined both before.
  const prose = Array.from({ length: 6 }, (_, r) => {
    const l = proseLine(r, 60);
    l.y1 = l.y0 + 28;
    l.rowHeight = 25;
    return l;
  });
  const before = line(7, 0, 40);
  const heading = line(9, -8, 10, { rowHeight: 45, boxHeight: 39, pitch: 25 });
  const after = [line(11, 0, 30), line(12, 4, 20), line(13, 4, 24), line(14, 0, 1)];
  const lines = [...prose, before, heading, ...after];
  const regions = findMonoRegions(lines);
  assert.ok(regions.every((r) => !r.lines.includes(7)), `the heading is in a region: ${JSON.stringify(regions.map((r) => r.lines))}`);
  assert.deepEqual(regions.map((r) => r.lines), [[6], [8, 9, 10, 11]]);
});

test('findMonoRegions: a code line whose row tesseract overestimates (1.55 rows, box of a normal line) stays in its listing', () => {
  const lines = [line(0, 0, 30), line(1, 4, 20), line(2, 4, 26, { rowHeight: 31 }), line(3, 8, 9), line(4, 0, 1)];
  assert.deepEqual(findMonoRegions(lines).map((r) => r.lines), [[0, 1, 2, 3, 4]]);
});

test('joinRowFragments: a row cut at an aligned gap is one line again; lines of another column or another grid stay apart', () => {
  // `const int      tid` | `= blockDim.x * …` and `const int THREAD_N` | `= blockDim.x * …`:
  // tesseract returned the right pieces first, as lines of their own.
  const rows = [line(0, 21, 30), line(0, 0, 18), line(1, 21, 24), line(1, 0, 18), line(2, 0, 40), line(3, 4, 12)];
  const joined = joinRowFragments(rows);
  assert.equal(joined.length, 4);
  assert.deepEqual([joined[0]!.x0, joined[0]!.x1, joined[0]!.blobs.length], [200, 200 + 51 * PITCH, 48]);
  assert.deepEqual(findMonoRegions(joined).map((r) => r.lines), [[0, 1, 2, 3]]);
  // Half a cell off the grid (a second listing beside the first), or far away in reading order: not joined.
  const offGrid = line(0, 21, 30, { x0: 206 });
  assert.equal(joinRowFragments([line(0, 0, 18), offGrid]).length, 2);
  const column = line(0, 44, 30);
  assert.equal(joinRowFragments([line(0, 0, 18), line(1, 0, 18), line(2, 0, 18), column]).length, 4);
});

test('ownWords: a word inside another layout line (a region on the same row, a figure label) is left to that line', () => {
  // Region line: columns 0-17; beside it on the same row a figure label at columns 30-45 (its own line,
  // read as prose); below, a `}` that layout analysis dropped (in no line: the region keeps it).
  const member = line(0, 0, 18);
  const label = line(0, 30, 16);
  const lines = [member, label];
  const words = [word('const', 0), word('int', 6), word('tid', 15), word('Work', 30), word('Distributor', 35), word('}', 0, 133)].map((w) => ({ ...w, x0: w.x0 + 200, x1: w.x1 + 200 }));
  assert.deepEqual(ownWords(words, lines, [0]).map((w) => w.text), ['const', 'int', 'tid', '}']);
});

test('findMonoRegions: a long line right under a listing, on its grid but just under the strength for a region of its own, is its last line', () => {
  const code = [line(0, 0, 30), line(1, 4, 20), line(2, 4, 26)];
  // 45 glyphs, 5 of them (merged `&(`-like ink) half a cell off: resultant 0.78, under the 0.8 a region needs.
  const last = line(3, 0, 45);
  last.blobs = last.blobs.map((b, i) => (i % 9 === 4 ? { ...b, x0: b.x0 + 6, x1: b.x1 + 7 } : b));
  // The same length of prose right under it (advances 5-30 px, off any grid) stays out.
  const prose = proseLine(4, 45);
  assert.deepEqual(findMonoRegions([...code, last, prose]).map((r) => r.lines), [[0, 1, 2, 3]]);
});

test('splitBesideLabels: Texinfo definitions (code, then a label at the right margin, one layout line each) are code lines again', () => {
  // `struct sha512_224_ctx` … `[Context struct]`: 21 glyphs on the grid, a gap of 30 cells, 16 proportional glyphs.
  const defs = [0, 1, 2].map((r) => {
    const l = line(r, 0, 21);
    let x = l.x0 + 51 * PITCH;
    const label = [5, 22, 6, 18, 9, 25, 7, 14, 30, 6, 11, 20, 8, 16, 5, 12].map((w) => {
      const b = { x0: x, x1: x + w - 2, y0: l.y0, y1: l.y1 };
      x += w;
      return b;
    });
    return { ...l, x1: x, blobs: [...l.blobs, ...label] };
  });
  // As layout analysis returned them, they are no region: the label takes the grid away.
  assert.deepEqual(findMonoRegions(defs), []);
  const { lines, labels } = splitBesideLabels(defs);
  assert.deepEqual([...labels], [3, 4, 5]);
  assert.deepEqual(lines.slice(0, 3).map((l) => [l.x0, l.x1, l.blobs.length]), [0, 1, 2].map(() => [202, 200 + 20 * PITCH + 10, 21]));
  assert.deepEqual(findMonoRegions(lines).map((r) => r.lines), [[0, 1, 2]]);
  // Code with a comment in the code font after a wide gap stays one line: it is on the grid as a whole.
  const commented = line(3, 0, 50);
  commented.blobs = commented.blobs.filter((_, i) => i < 20 || i >= 40);
  assert.equal(splitBesideLabels([commented]).labels.size, 0);
});
