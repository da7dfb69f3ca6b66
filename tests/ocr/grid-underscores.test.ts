import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridSegments, placeOnGrid } from '../../ocr/grid-text.js';
import type { OcrWord } from '../../ocr/tesseract-pool.js';

/**
 * Words put on a listing's glyph grid where the ink has underscores, as
 * tesseract returned them on NVIDIA's CUDA whitepapers scanned at 200 DPI
 * (2026-12-03): a 13-px grid, cell centres at 6 + 13k.
 */
const PITCH = 13;

/** A word of `text` whose glyphs start at grid column `col`. */
function word(text: string, col: number, y0 = 100): OcrWord {
  const n = [...text].length;
  const symbols = Array.from({ length: n }, (_, i) => ({ x0: (col + i) * PITCH + 2, x1: (col + i) * PITCH + 10, y0, y1: y0 + 15 }));
  return { text, confidence: 90, x0: col * PITCH + 2, x1: (col + n - 1) * PITCH + 10, y0, y1: y0 + 19, baseline: y0 + 15, rowHeight: 19, symbols };
}

test('placeOnGrid: words tesseract cut at an underscore touch; no second underscore and no space comes in from the ink', () => {
  // `ROW_COUNT)` read as `ROW` `_` `COUNT)`, the underscore's ink at column 3.
  const a = placeOnGrid([word('ROW', 0), word('_', 3), word('COUNT)', 4)], PITCH, 6, [3]);
  assert.deepEqual(gridSegments(a), [{ col: 0, text: 'ROW_COUNT)' }]);
  // `d_PutResult` read as `d` `_PutResult`.
  const b = placeOnGrid([word('d', 0), word('_PutResult', 1)], PITCH, 6, [1]);
  assert.deepEqual(gridSegments(b), [{ col: 0, text: 'd_PutResult' }]);
  // Words without an underscore between them keep their blank: `int` `x` is no `intx`.
  const c = placeOnGrid([word('int', 0), word('x', 3)], PITCH, 6, []);
  assert.deepEqual(gridSegments(c), [{ col: 0, text: 'int' }, { col: 4, text: 'x' }]);
});

test('placeOnGrid: a word that reads its own underscore gets none from the ink, however wide its last glyph', () => {
  // `c_end;)`: 7 glyphs, the `)` box one cell too wide, ink underscore at column 1.
  const w = word('c_end;)', 0);
  const wide = { ...w, x1: w.x1 + PITCH, symbols: w.symbols.map((s, i) => (i === 6 ? { ...s, x1: s.x1 + PITCH } : s)) };
  assert.deepEqual(gridSegments(placeOnGrid([wide], PITCH, 6, [1])), [{ col: 0, text: 'c_end;)' }]);
  // The fill that rule is for: `sWarpHist` over ten cells, ink underscore at column 1.
  const lost = word('sWarpHist', 0);
  const spread = { ...lost, x1: lost.x1 + PITCH };
  assert.deepEqual(gridSegments(placeOnGrid([spread], PITCH, 6, [1])), [{ col: 0, text: 's_WarpHist' }]);
});
