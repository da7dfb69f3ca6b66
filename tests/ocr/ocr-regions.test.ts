import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMonoRegions, marginColumnLines } from '../../ocr/fixed-pitch.js';
import { readingOrder } from '../../ocr/ocr-page.js';
import type { LayoutLine } from '../../ocr/tesseract-pool.js';
import { rates, scoreListing, scoreOracle, scorePage } from './ocr-metrics.js';

/** A layout line of `cells` glyphs on a 13-px grid starting at column `col`, row y (20-px rows, 33-px pitch). */
function line(row: number, col: number, cells: number, opts: { pitch?: number; x0?: number } = {}): LayoutLine {
  const pitch = opts.pitch ?? 13;
  const x0 = (opts.x0 ?? 200) + col * pitch;
  const y0 = 100 + row * 33;
  const blobs = Array.from({ length: cells }, (_, i) => ({ x0: x0 + i * pitch + 2, x1: x0 + i * pitch + 10, y0, y1: y0 + 19 }));
  return { x0, y0, x1: x0 + cells * pitch, y1: y0 + 19, rowHeight: 20, blobs };
}

test('scorePage: a listing the OCR cut in two costs only its differing characters; prose read as code is counted apart', () => {
  const ref = ['int main(void)', '{', '    int count = 0;', '    return count;', '}'].join('\n');
  const top = ['int main(void)', '{', '    int count = 0;'].join('\n');
  const bottom = ['    return count;', '}'].join('\n');
  const prose = 'The quick brown fox jumps over the lazy dog.';
  // Best single OCR listing per reference: the cut-off half counts as lost.
  assert.ok(rates(scoreListing(top, ref)).cer > 0.3);
  const s = scorePage([top, prose, bottom], [ref]);
  assert.equal(s.charErrors, 0);
  assert.equal(s.pieces, 2);
  assert.equal(s.extraListings, 1);
  assert.equal(s.firstLineKept, 1);
  assert.equal(s.indentExact, 5);
  // One wrong character is one error; nothing found is every character lost.
  assert.equal(scorePage([ref.replace('count = 0', 'count = O')], [ref]).charErrors, 1);
  const none = scorePage([prose], [ref]);
  assert.equal(none.charErrors, none.chars);
  assert.equal(none.firstLineKept, 0);
});

test('scorePage: two listings merged into one OCR listing score as the two references in order', () => {
  const a = ['module a;', 'endmodule'].join('\n');
  const b = ['module counter(clk);', '  wire w;', 'endmodule'].join('\n');
  const s = scorePage([`${a}\n${b}`], [a, b]);
  assert.equal(s.charErrors, 0);
  assert.equal(s.listings, 2);
  assert.equal(s.firstLineKept, 1, "b's first line is not the first line of an OCR listing");
});

test('findMonoRegions: short lines between two stretches of code join them (gap from the last short line), never two regions at once', () => {
  // Code, then three lone `end`/`}`-like short lines, each one row apart, then more code:
  // the gap from the last long line to the next is 4 rows + — over maxGap measured from it.
  const lines = [line(0, 0, 30), line(1, 4, 20), line(2, 8, 3), line(3, 4, 3), line(4, 0, 3), line(5, 0, 3), line(6, 0, 25), line(7, 4, 20)];
  const regions = findMonoRegions(lines, { maxGap: 4.5 });
  const all = regions.flatMap((r) => r.lines);
  assert.equal(new Set(all).size, all.length, `a line in two regions: ${JSON.stringify(regions.map((r) => r.lines))}`);
  assert.deepEqual(regions.map((r) => r.lines), [[0, 1, 2, 3, 4, 5, 6, 7]]);
});

test('marginColumnLines: line numbers left of a listing are the margin, a caption above it and prose to the right are not', () => {
  const code = [line(1, 0, 30), line(2, 4, 20), line(3, 0, 28)];
  const numbers = [1, 2, 3].map((r) => line(r, 0, 2, { x0: 150 }));
  // A proportional caption: glyph advances of 5–30 px, off any grid.
  const caption = line(-1, 0, 12, { x0: 150 });
  let x = 150;
  caption.blobs = [5, 22, 6, 18, 9, 25, 7, 14, 30, 6, 11, 20].map((w) => {
    const b = { x0: x, x1: x + w - 2, y0: caption.y0, y1: caption.y1 };
    x += w;
    return b;
  });
  const far = line(2, 0, 2, { x0: 20 });
  const lines = [...code, ...numbers, caption, far];
  const regions = findMonoRegions(lines);
  assert.equal(regions.length, 1);
  assert.deepEqual([...marginColumnLines(lines, regions)].sort(), [3, 4, 5]);
});

test('readingOrder: a short line returned after the line below it moves up; a second column stays after the first', () => {
  const a = line(0, 0, 30);
  const b = line(1, 4, 20);
  const brace = line(2, 0, 1);
  const c = line(3, 0, 25);
  assert.deepEqual(readingOrder([a, b, c, brace]), [a, b, brace, c]);
  // The second column's first line is far above the first column's last: order kept.
  const right = line(0, 0, 30, { x0: 900 });
  assert.deepEqual(readingOrder([a, b, brace, c, right]), [a, b, brace, c, right]);
});

test('visible spaces: a cup taller than an underscore in the lower half becomes a space where tesseract read `_`; an underscore stays', async () => {
  const { clearVisibleSpaces, placeOnGrid, visibleSpaceColumns, underscoreColumns } = await import('../../ocr/grid-text.js');
  // Row 19 px at y 1186: `a_b␣c` on a 13-px grid (cell centres 6 + 13k).
  const y0 = 1186;
  const glyph = (k: number) => ({ x0: 13 * k + 2, x1: 13 * k + 10, y0: y0 + 1, y1: y0 + 15 });
  const blobs = [glyph(0), { x0: 13, x1: 24, y0: y0 + 15, y1: y0 + 17 }, glyph(2), { x0: 40, x1: 49, y0: y0 + 13, y1: y0 + 17 }, glyph(4)];
  const line = { x0: 0, x1: 65, y0, y1: y0 + 19, rowHeight: 19, blobs };
  assert.deepEqual(visibleSpaceColumns(line, 13, 6), [3]);
  assert.deepEqual(underscoreColumns(line, 13, 6), [1]);
  const word = { text: 'a_b_c', confidence: 90, x0: 2, x1: 62, y0, y1: y0 + 19, baseline: y0 + 15, rowHeight: 19, symbols: [0, 1, 2, 3, 4].map((k) => ({ x0: 13 * k + 2, x1: 13 * k + 10, y0, y1: y0 + 15 })) };
  const g = placeOnGrid([word], 13, 6, []);
  assert.equal(clearVisibleSpaces(g, visibleSpaceColumns(line, 13, 6)), 1);
  assert.deepEqual([0, 1, 2, 3, 4].map((c) => g.cells.get(c)), ['a', '_', 'b', ' ', 'c']);
});

test('scoreOracle: the page lines that pair with the reference are its listing; the prose around it does not count', () => {
  const ref = ['int main(void)', '{', '    return 0;', '}'].join('\n');
  const page = ['Chapter 2. Getting started', 'The program below returns zero to the shell when run.', 'int main(void)', '{', '    return O;', '}', 'It is compiled with cc.'].join('\n');
  const s = scoreOracle(page, [ref]);
  assert.equal(s.charErrors, 1);
  assert.equal(s.firstLineKept, 1);
});
