import type { Run } from './layout.js';
import { findMonoRegions, joinRowFragments, marginColumnLines, splitBesideLabels, type MonoRegion } from './fixed-pitch.js';
import type { PdfPage } from './pdfjs.js';
import { cropRegion, renderPage, type RenderOptions, type RenderedPage } from './render-page.js';
import { clearVisibleSpaces, gridSegments, placeOnGrid, underscoreColumns, visibleSpaceColumns } from './grid-text.js';
import { growDeclaration, type PixelRun } from './listing-head.js';
import { isProse, looksLikeCode } from './code-shape.js';
import { findRaggedBlocks } from './ragged-blocks.js';
import type { LayoutLine, OcrEngine, OcrWord, PixelBox } from './tesseract-pool.js';

export interface OcrPageOptions extends RenderOptions {
  /**
   * Row height (ascender to descender, pixels) listing regions are scaled to
   * before recognition: about 300 DPI for 10 pt code, where tesseract's LSTM
   * reads `_`, `{` and `0x` best; measured in bench/literature.ts. @default 40
   */
  targetRowHeight?: number;
  /** Extra tesseract parameters for listing regions (e.g. `{ thresholding_method: '2' }` for Sauvola). */
  params?: Record<string, string>;
  /** Put underscores where the ink has one and tesseract read a space or nothing (grid-text.ts). @default true */
  inkUnderscores?: boolean;
  /** Also read blocks of short lines outside monospace regions and keep the ones shaped like code (ragged-blocks.ts). @default true */
  proportionalCode?: boolean;
  /** Put spaces where the ink has LaTeX's visible space `␣` and tesseract read `_` or `.` (grid-text.ts). @default true */
  visibleSpaces?: boolean;
  /** Grow a listing by the line above it when that line reads as its declaration. @default true */
  growHead?: boolean;
}

/** Lines of prose read around each listing: caption and context above, caption below. */
const ABOVE = 3;
const BELOW = 2;

/**
 * Recognizes a page without a text layer. Layout analysis finds the text
 * lines; only monospace regions (fixed-pitch.ts) and the few prose lines
 * around them and at the page edges (captions, context, running heads) are
 * recognized — a page of prose costs a layout pass, not a recognition pass.
 * Listing regions are cut out, upscaled to `targetRowHeight` and read as one
 * block (PSM 6); their words are snapped to the region's glyph grid, so
 * indentation and column alignment come out exact. Lines not read become
 * placeholder prose runs, so listings still end at them.
 */
export async function ocrPage(page: PdfPage, pageNo: number, engine: OcrEngine, opts: OcrPageOptions = {}): Promise<Run[]> {
  const img = await renderPage(page, opts);
  const { lines, labels } = splitBesideLabels(joinRowFragments(readingOrder(await engine.layout(img.pgm, img.dpi))));
  // A label is never code, whatever grid its few glyphs happen to fit.
  const regions = findMonoRegions(lines).filter((r) => !r.lines.some((i) => labels.has(i)));
  const inRegion = new Set(regions.flatMap((r) => r.lines));
  // Line-number columns beside listings: not read, no placeholder (fixed-pitch.ts).
  const margin = marginColumnLines(lines, regions);
  const ragged = (opts.proportionalCode ?? true) ? findRaggedBlocks(lines, new Set([...inRegion, ...margin, ...labels])) : [];
  const inRagged = new Set(ragged.flat());
  const prose = proseToRead(lines, regions, new Set([...inRegion, ...inRagged, ...margin, ...labels]));
  const k = 72 / img.dpi;
  const [codeRuns, proseRuns, raggedRuns] = await Promise.all([
    Promise.all(regions.map((r) => readRegion(img, engine, lines, r, margin, opts))),
    Promise.all(prose.map((g) => readLines(img, engine, lines, g, opts))),
    Promise.all(ragged.map((g) => readLines(img, engine, lines, g, opts))),
  ]);
  for (const block of raggedRuns) markCodeByShape(block);
  if (opts.growHead ?? true) regions.forEach((r, i) => growDeclaration(codeRuns[i]!, proseRuns, r));
  const read = new Set([...inRegion, ...inRagged, ...prose.flat(), ...margin, ...labels]);
  // Columns read downwards (line numbers) are no prose line: they get no placeholder.
  const placeholders = lines.filter((l, i) => !read.has(i) && l.y1 - l.y0 <= l.rowHeight * 2).map((l) => placeholder(l));
  return [...codeRuns.flat(), ...proseRuns.flat(), ...raggedRuns.flat().map(widenToAdvance), ...placeholders].map((r) => toPoints(r, k));
}

/**
 * Lines of a proportional block are code when they look like code, or sit
 * between two code lines and are not a sentence (`sync posedge \\reset`).
 */
function markCodeByShape(runs: PixelRun[]): void {
  const byLine = new Map<number, PixelRun[]>();
  for (const r of runs) (byLine.get(r.lineIndex) ?? byLine.set(r.lineIndex, []).get(r.lineIndex)!).push(r);
  const order = [...byLine.keys()].sort((a, b) => a - b);
  const text = order.map((i) => byLine.get(i)!.sort((a, b) => a.x - b.x).map((r) => r.text).join(' '));
  const code = text.map((t) => looksLikeCode(t));
  order.forEach((i, n) => {
    const sandwiched = !code[n] && code[n - 1] && code[n + 1] && !isProse(text[n]!);
    if (code[n] || sandwiched) for (const r of byLine.get(i)!) r.mono = true;
  });
}

/** A word's box is tight around its ink; n glyphs span about n - 0.3 advances, so widen it to n (half each side). */
function widenToAdvance(r: PixelRun): PixelRun {
  const n = [...r.text].length;
  if (n < 2) return r;
  const width = (r.width * n) / (n - 0.3);
  return { ...r, x: r.x - (width - r.width) / 2, width };
}

/** Prose lines worth reading, grouped into adjacent runs of lines: around listings and at the page edges. */
function proseToRead(lines: readonly LayoutLine[], regions: readonly MonoRegion[], inRegion: ReadonlySet<number>): number[][] {
  const want = new Set<number>();
  for (const r of regions) {
    const first = r.lines[0]!;
    const last = r.lines[r.lines.length - 1]!;
    for (let i = first - 1; i >= Math.max(0, first - ABOVE); i--) want.add(i);
    for (let i = last + 1; i <= Math.min(lines.length - 1, last + BELOW); i++) want.add(i);
  }
  // Running heads and page numbers: the two outermost lines at each edge (page-furniture.ts looks there).
  // Columns read downwards (a line-number column) are no running head.
  const byY = lines.flatMap((l, i) => (l.y1 - l.y0 <= l.rowHeight * 2 ? [{ i, y: l.y0 }] : [])).sort((a, b) => a.y - b.y);
  for (const e of [...byY.slice(0, 2), ...byY.slice(-2)]) want.add(e.i);
  const sorted = [...want].filter((i) => !inRegion.has(i)).sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const i of sorted) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1] === i - 1) g.push(i);
    else groups.push([i]);
  }
  return groups;
}

/**
 * Reads a listing region as one block and puts its words on the region's
 * grid, line by line, with underscores filled in from the ink.
 */
async function readRegion(img: RenderedPage, engine: OcrEngine, lines: readonly LayoutLine[], r: MonoRegion, margin: ReadonlySet<number>, opts: OcrPageOptions): Promise<PixelRun[]> {
  const members = r.lines.map((i) => lines[i]!);
  const words = ownWords(await readBox(img, engine, padBox(r.box, lines, r.lines, r.pitch), members, opts, opts.params), lines, [...r.lines, ...margin]);
  const byLine = new Map<number, OcrWord[]>();
  // Line numbers set apart left of the code ("8)" for a numbered blank line): the number column, not code.
  const long = members.filter((l) => l.blobs.length >= 8);
  const left = Math.min(...(long.length > 0 ? long : members).map((l) => l.x0)) - r.pitch * 0.5;
  const lost: OcrWord[] = [];
  for (const w of words) {
    // A number, maybe with a bracket; a lone `)`/`]` left of the code is a misread brace, not a number.
    if (w.x1 < left && /^[([]?[\doOlI|%]{1,4}[)\]]?$/.test(w.text)) continue;
    const at = lineOf(w, members);
    if (at >= 0) (byLine.get(at) ?? byLine.set(at, []).get(at)!).push(w);
    else lost.push(w);
  }
  // Lines layout analysis did not return (a lone `}` is often dropped as noise) but recognition read.
  const extra = lostLines(lost, members);
  const all = [...members.map((line, at) => ({ line, index: r.lines[at]!, phase: r.phases[at]!, ws: byLine.get(at) ?? [] })), ...extra.map((e) => ({ line: e.line, index: indexBetween(r, members, e.line), phase: median(r.phases), ws: e.words }))];
  const out: PixelRun[] = [];
  all.forEach(({ line, index, phase, ws }) => {
    const under = (opts.inkUnderscores ?? true) ? underscoreColumns(line, r.pitch, phase) : [];
    if (ws.length === 0 && under.length === 0) return;
    const top = ws.length > 0 ? median(ws.map((w) => w.baseline - w.rowHeight * 0.8)) : line.y0;
    const height = ws.length > 0 ? median(ws.map((w) => w.rowHeight)) : line.rowHeight;
    const grid = placeOnGrid(ws, r.pitch, phase, under);
    if (opts.visibleSpaces ?? true) clearVisibleSpaces(grid, visibleSpaceColumns(line, r.pitch, phase));
    for (const seg of gridSegments(grid)) {
      const n = [...seg.text].length;
      out.push({ text: seg.text, x: phase + seg.col * r.pitch - r.pitch / 2, y: top, width: n * r.pitch, height, mono: true, lineIndex: index });
    }
  });
  return out;
}

/**
 * The words of a region's crop that are its own: a word whose centre lies in
 * the box of a layout line outside the region (and in none of the region's)
 * belongs to that line, which is read on its own — another region on the
 * same row (tesseract cuts a row at a wide gap: `const int      tid` and
 * `= blockDim.x …` as two lines of two regions), a figure label beside the
 * code. Taken here too, it was read twice (`blockDim.xblockDim.x`,
 * `WorkWork`) or a label came into the listing. `keep` are the region's
 * lines and the line-number column beside it (whose misread braces the
 * region keeps); columns read downwards (taller than two rows) own nothing:
 * their boxes span the code beside them.
 */
export function ownWords(words: readonly OcrWord[], lines: readonly LayoutLine[], keep: readonly number[]): OcrWord[] {
  const mine = new Set(keep);
  const inside = (l: PixelBox, x: number, y: number): boolean => x >= l.x0 && x <= l.x1 && y >= l.y0 && y <= l.y1;
  const others = lines.filter((l, i) => !mine.has(i) && l.y1 - l.y0 <= l.rowHeight * 2);
  const own = keep.map((i) => lines[i]!);
  return words.filter((w) => {
    const x = (w.x0 + w.x1) / 2;
    const y = (w.y0 + w.y1) / 2;
    return own.some((l) => inside(l, x, y)) || !others.some((l) => inside(l, x, y));
  });
}

/**
 * Words of a region's recognition that sit on none of its layout lines,
 * grouped into lines by their vertical overlap — only words inside the
 * region's height, so nothing of the prose above or below comes in.
 */
function lostLines(words: readonly OcrWord[], members: readonly LayoutLine[]): Array<{ line: LayoutLine; words: OcrWord[] }> {
  const top = Math.min(...members.map((l) => l.y0));
  const bottom = Math.max(...members.map((l) => l.y1));
  const out: Array<{ line: LayoutLine; words: OcrWord[] }> = [];
  for (const w of [...words].sort((a, b) => a.y0 - b.y0)) {
    const mid = (w.y0 + w.y1) / 2;
    if (mid < top || mid > bottom || !w.text.trim()) continue;
    const g = out.find((e) => Math.min(e.line.y1, w.y1) - Math.max(e.line.y0, w.y0) > 0);
    if (g) {
      g.words.push(w);
      g.line = { ...g.line, x0: Math.min(g.line.x0, w.x0), x1: Math.max(g.line.x1, w.x1), y0: Math.min(g.line.y0, w.y0), y1: Math.max(g.line.y1, w.y1) };
    } else out.push({ line: { x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1, rowHeight: median(members.map((l) => l.rowHeight)), blobs: [] }, words: [w] });
  }
  return out;
}

/** A line index between the member lines above and below a recovered line, so runs keep their top-to-bottom order. */
function indexBetween(r: MonoRegion, members: readonly LayoutLine[], line: LayoutLine): number {
  let above = r.lines[0]! - 0.5;
  members.forEach((m, at) => {
    if (m.y0 < line.y0) above = r.lines[at]!;
  });
  return above + 0.5;
}

/**
 * Tesseract returns lines block by block; inside a listing a short line can
 * come after the line below it (`}` of a block, then the next statement).
 * Such local inversions are undone — a line moves up past the lines it is
 * above by at most three rows and at most six rows apart sideways (a column
 * gutter is wider, and the next column starts pages above) — so regions are found
 * top to bottom; the order of columns and blocks stays as tesseract gave it.
 */
export function readingOrder(lines: readonly LayoutLine[]): LayoutLine[] {
  const out = [...lines];
  for (let i = 1; i < out.length; i++) {
    let j = i;
    const l = out[i]!;
    while (j > 0) {
      const p = out[j - 1]!;
      const apart = Math.max(l.x0, p.x0) - Math.min(l.x1, p.x1);
      if (!(apart <= l.rowHeight * 6 && l.y1 <= p.y0 + 1 && p.y0 - l.y1 <= l.rowHeight * 3)) break;
      j--;
    }
    if (j < i) {
      out.splice(i, 1);
      out.splice(j, 0, l);
    }
  }
  return out;
}

/** Reads a few prose lines at a resolution good enough for captions. */
async function readLines(img: RenderedPage, engine: OcrEngine, lines: readonly LayoutLine[], group: number[], opts: OcrPageOptions): Promise<PixelRun[]> {
  const members = group.map((i) => lines[i]!);
  const box = { x0: Math.min(...members.map((l) => l.x0)), y0: Math.min(...members.map((l) => l.y0)), x1: Math.max(...members.map((l) => l.x1)), y1: Math.max(...members.map((l) => l.y1)) };
  const words = await readBox(img, engine, padBox(box, lines, group, members[0]!.rowHeight * 0.5), members, opts);
  return words.flatMap((w) => {
    const at = lineOf(w, members);
    return at < 0 ? [] : [{ text: w.text, x: w.x0, y: w.baseline - w.rowHeight * 0.8, width: w.x1 - w.x0, height: w.rowHeight, mono: false, lineIndex: group[at]! }];
  });
}

/** Crops, upscales to the target row height, recognizes as one block, and maps words back to page pixels. */
async function readBox(img: RenderedPage, engine: OcrEngine, box: PixelBox, members: readonly LayoutLine[], opts: OcrPageOptions, params?: Record<string, string>): Promise<OcrWord[]> {
  const row = median(members.map((l) => l.rowHeight));
  const scale = Math.min(4, Math.max(1, (opts.targetRowHeight ?? 40) / Math.max(1, row)));
  const words = await engine.recognize(cropRegion(img, box, { scale }), img.dpi * scale, { psm: 6, params });
  const map = (x: number, y: number): [number, number] => [box.x0 + x / scale, box.y0 + y / scale];
  return words.map((w) => {
    const [x0, y0] = map(w.x0, w.y0);
    const [x1, y1] = map(w.x1, w.y1);
    return {
      ...w,
      x0, y0, x1, y1,
      baseline: box.y0 + w.baseline / scale,
      rowHeight: w.rowHeight / scale,
      symbols: w.symbols.map((s) => ({ x0: box.x0 + s.x0 / scale, x1: box.x0 + s.x1 / scale, y0: box.y0 + s.y0 / scale, y1: box.y0 + s.y1 / scale })),
    };
  });
}

/** The region's box with a margin, kept clear of the lines above and below that are not in it. */
function padBox(box: PixelBox, lines: readonly LayoutLine[], members: readonly number[], padX: number): PixelBox {
  const row = median(members.map((i) => lines[i]!.rowHeight));
  let top = box.y0 - row * 0.4;
  let bottom = box.y1 + row * 0.4;
  const set = new Set(members);
  for (const [i, l] of lines.entries()) {
    if (set.has(i) || l.x1 < box.x0 || l.x0 > box.x1) continue;
    if (l.y1 <= box.y0) top = Math.max(top, (l.y1 + box.y0) / 2);
    if (l.y0 >= box.y1) bottom = Math.min(bottom, (l.y0 + box.y1) / 2);
  }
  return { x0: box.x0 - padX * 1.5, y0: top, x1: box.x1 + padX * 1.5, y1: bottom };
}

/** The member line a word sits on (most vertical overlap), or -1. */
function lineOf(w: OcrWord, members: readonly LayoutLine[]): number {
  let best = -1;
  let overlap = 0;
  const mid = (w.y0 + w.y1) / 2;
  members.forEach((l, i) => {
    const o = Math.min(w.y1, l.y1) - Math.max(w.y0, l.y0);
    if (o > overlap || (o === overlap && mid >= l.y0 && mid <= l.y1)) {
      overlap = o;
      best = i;
    }
  });
  return overlap > 0 ? best : -1;
}

/** A line nobody reads: prose, kept as a run so listings end at it and furniture can be told apart. */
function placeholder(l: LayoutLine): PixelRun {
  return { text: '\u2026', x: l.x0, y: l.y0, width: l.x1 - l.x0, height: l.y1 - l.y0, mono: false, lineIndex: -1 };
}

function toPoints(r: PixelRun, k: number): Run {
  return { text: r.text, x: r.x * k, y: r.y * k, width: r.width * k, height: r.height * k, mono: r.mono };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
