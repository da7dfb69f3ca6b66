import type { LayoutLine, OcrWord, PixelBox } from './tesseract-pool.js';

/** A line of a monospace region as characters on its grid: column → character. */
export interface GridLine {
  cells: Map<number, string>;
  /** Columns where an underscore was put from the ink (tesseract read a space or nothing). */
  underscores: number[];
}

/**
 * The grid column of a word's first glyph: from its first glyph box's centre
 * (glyphs are centred in their cells), else from the word's centre and length.
 */
export function firstColumn(w: OcrWord, pitch: number, phase: number): number {
  const s = w.symbols[0];
  if (s && s.x1 - s.x0 <= pitch * 1.5) return Math.round(((s.x0 + s.x1) / 2 - phase) / pitch);
  const n = [...w.text].length;
  return Math.round(((w.x0 + w.x1) / 2 - phase) / pitch - (n - 1) / 2);
}

/**
 * Columns holding an underscore by its ink: a blob no taller than 0.13 of
 * the row, at least 0.6 cells wide, in the lower half of the line. Thin
 * underscores of Courier-like fonts at 150–200 DPI are exactly what tesseract
 * drops (`s_WarpHist` → `s WarpHist`), while layout analysis still sees them.
 */
export function underscoreColumns(line: LayoutLine, pitch: number, phase: number): number[] {
  const out: number[] = [];
  for (const b of line.blobs) {
    if (!isUnderscoreBlob(b, line, pitch)) continue;
    const from = Math.round((b.x0 + pitch / 2 - phase) / pitch);
    const to = Math.max(from, Math.round((b.x1 - pitch / 2 - phase) / pitch));
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

/**
 * Columns holding LaTeX's visible space `␣` (listings' `showstringspaces`, on
 * by default): a cup in the lower half of the line, at least 0.6 cells wide and
 * taller than an underscore (0.14–0.35 of the row; an underscore is at most
 * 0.13). Tesseract reads it as `_` (or `.`); the source has a space there.
 */
export function visibleSpaceColumns(line: LayoutLine, pitch: number, phase: number): number[] {
  const out: number[] = [];
  for (const b of line.blobs) {
    const h = b.y1 - b.y0;
    const row = line.rowHeight;
    if (h <= Math.max(2, row * 0.13) || h > row * 0.35 || b.x1 - b.x0 < pitch * 0.6 || b.x1 - b.x0 > pitch * 1.3) continue;
    if (b.y0 < line.y0 + (line.y1 - line.y0) * 0.5) continue;
    out.push(Math.round(((b.x0 + b.x1) / 2 - phase) / pitch));
  }
  return out;
}

/** Puts spaces where the ink has a visible space and the recognition an `_` or `.` there. */
export function clearVisibleSpaces(g: GridLine, columns: readonly number[]): number {
  let n = 0;
  for (const c of columns) {
    const ch = g.cells.get(c);
    if (ch !== '_' && ch !== '.') continue;
    g.cells.set(c, ' ');
    n++;
  }
  return n;
}

function isUnderscoreBlob(b: PixelBox, line: LayoutLine, pitch: number): boolean {
  const h = b.y1 - b.y0;
  // ≤ 0.13 rows: LaTeX's visible space `␣` in string literals is a flat cup about twice as tall.
  return h <= Math.max(2, line.rowHeight * 0.13) && b.x1 - b.x0 >= pitch * 0.6 && b.y0 >= line.y0 + (line.y1 - line.y0) * 0.5;
}

/**
 * Puts a line's words on the grid and fills underscores from the ink: into an
 * empty cell between or before glyphs, or into a word without an underscore
 * whose ink spans exactly as many more cells than it has characters as there
 * are underscore cells in it (`sWarpHist` over ten cells with an underscore at
 * the second).
 */
export function placeOnGrid(words: readonly OcrWord[], pitch: number, phase: number, underscores: readonly number[]): GridLine {
  const cells = new Map<number, string>();
  const under = new Set(underscores);
  const filled: number[] = [];
  // Tesseract's words are separated by at least one blank cell: a word whose
  // glyph boxes put it on cells already taken starts after the previous one.
  // Except at an underscore, where tesseract also cuts words without a blank
  // (`ROW` `_` `COUNT`, `d` `_PutResult`): there a word may touch the previous
  // one — a blank forced there became a second underscore from the ink
  // (`d__PutResult`) or a space inside the identifier.
  let end = -Infinity;
  let prev = '';
  for (const w of [...words].sort((a, b) => a.x0 - b.x0)) {
    const chars = [...w.text];
    const touch = prev.endsWith('_') || w.text.startsWith('_');
    const c0 = Math.max(firstColumn(w, pitch, phase), end + (touch ? 1 : 2));
    prev = w.text;
    const last = Math.round((w.x1 - pitch / 2 - phase) / pitch);
    const inside = [...under].filter((u) => u > c0 && u <= last).sort((a, b) => a - b);
    const missing = last - c0 + 1 - chars.length;
    // A word that has an underscore of its own is not one that lost them: its
    // ink is a cell wider for a wide last glyph (`c_end;)`, `__syncthreads()`
    // became `c__end;)`, `___syncthreads()`).
    if (missing > 0 && inside.length === missing && !chars.includes('_')) {
      let at = 0;
      for (let c = c0; c <= last; c++) {
        if (inside.includes(c)) {
          cells.set(c, '_');
          filled.push(c);
        } else cells.set(c, chars[at++] ?? '');
      }
      end = last;
      continue;
    }
    chars.forEach((ch, i) => cells.set(c0 + i, ch));
    end = c0 + chars.length - 1;
  }
  for (const u of under) {
    if (cells.has(u)) continue;
    cells.set(u, '_');
    filled.push(u);
  }
  return { cells, underscores: filled.sort((a, b) => a - b) };
}

/** The grid line's maximal runs of characters, each with its first column. */
export function gridSegments(g: GridLine): Array<{ col: number; text: string }> {
  const cols = [...g.cells.keys()].filter((c) => g.cells.get(c)).sort((a, b) => a - b);
  const out: Array<{ col: number; text: string }> = [];
  for (const c of cols) {
    const seg = out[out.length - 1];
    const ch = g.cells.get(c)!;
    if (seg && seg.col + [...seg.text].length === c && ch !== ' ') seg.text += ch;
    else if (ch !== ' ') out.push({ col: c, text: ch });
  }
  return out;
}
