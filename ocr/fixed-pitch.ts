import type { LayoutLine, PixelBox } from './tesseract-pool.js';
import { firstWordPhase, wordGridFit, type PitchFit } from './word-grid.js';

/** Word-grid strength that makes a line code (word-grid.ts: code ≥ 0.99, prose ≤ 0.78 measured). */
const WORD_GRID_STRENGTH = 0.95;

/**
 * Fixed-pitch (monospace) text found from ink alone, before any recognition.
 * In a code font every glyph is centred in a cell of one width, so glyph
 * centres fall on a grid x ≡ phase (mod pitch) across words and across the
 * lines of a listing; in proportional prose they do not. Listings are set in
 * code fonts, which is what the text layer path keys on too (find-listings.ts),
 * so a scanned page needs recognition only where such a grid is.
 */

/** A grid: cell width in pixels, the x of a cell centre, and how well the glyphs sit on it (0–1). */
export type { PitchFit } from './word-grid.js';

export interface MonoRegion {
  /** Indexes into the page's layout lines, top to bottom. */
  lines: number[];
  pitch: number;
  /** Cell-centre x per member line (its own phase on the region's pitch). */
  phases: number[];
  box: PixelBox;
}

export interface FindMonoOptions {
  /** Glyphs on the grid for a line to count as monospace (mean resultant length). @default 0.8 */
  minStrength?: number;
  /** Fewest blobs for a line to be judged on its own; shorter ones join a neighbouring region. @default 8 */
  minBlobs?: number;
  /** Largest gap between region lines, in row heights. @default 4.5 */
  maxGap?: number;
  /**
   * Lines whose row is taller than this many times the page's median row
   * (and whose ink box is too: headingLines) are headings, never code: a bold heading of ten even-width capitals sits on a
   * grid as well as Courier does ("Background", "Pseudo Code" in NVIDIA's
   * whitepapers: rows 1.8-1.9 times the body's, grid strength 0.88-0.92), and
   * as a region it joined the listings around it. @default 1.5
   */
  maxRowRatio?: number;
}

/**
 * Mean resultant length of the centres on a grid of this pitch (1 = every
 * centre on it); the circular mean gives the phase.
 */
export function gridStrength(centers: readonly number[], pitch: number): { strength: number; phase: number } {
  let sx = 0;
  let sy = 0;
  for (const c of centers) {
    const a = (2 * Math.PI * c) / pitch;
    sx += Math.cos(a);
    sy += Math.sin(a);
  }
  const angle = Math.atan2(sy, sx);
  const phase = ((angle / (2 * Math.PI)) * pitch + pitch) % pitch;
  return { strength: centers.length === 0 ? 0 : Math.hypot(sx, sy) / centers.length, phase };
}

/**
 * The best grid for a line's glyph centres, pitch searched between 0.4 and
 * 1.05 row heights (code fonts advance 0.5–0.6 em: Courier, DejaVu Sans Mono,
 * Latin Modern Mono). A grid of half the pitch fits exactly as well, so the
 * widest pitch within 5 % of the best strength wins.
 */
export function fitPitch(centers: readonly number[], rowHeight: number): PitchFit {
  const scores: Array<{ pitch: number; strength: number; phase: number }> = [];
  for (let p = rowHeight * 0.4; p <= rowHeight * 1.05; p += 0.1) scores.push({ pitch: p, ...gridStrength(centers, p) });
  const top = Math.max(0, ...scores.map((s) => s.strength));
  const coarse = scores.filter((s) => s.strength >= top * 0.95).sort((a, b) => b.pitch - a.pitch)[0];
  if (!coarse) return { pitch: rowHeight * 0.6, phase: 0, strength: 0 };
  return refine(centers, coarse.pitch, 0.1);
}

/** Refines a pitch to 0.01 px around a coarse estimate (drift over 80 columns stays under a pixel). */
function refine(centers: readonly number[], around: number, span: number): PitchFit {
  let best = { pitch: around, ...gridStrength(centers, around) };
  for (let p = around - span; p <= around + span; p += 0.01) {
    const g = gridStrength(centers, p);
    if (g.strength > best.strength) best = { pitch: p, ...g };
  }
  return best;
}

const centersOf = (blobs: readonly PixelBox[]): number[] => blobs.map((b) => (b.x0 + b.x1) / 2);

/**
 * Finds the monospace regions of a page: lines whose own glyphs sit on a grid
 * (strong lines), joined when they share a pitch and follow each other within
 * `maxGap` rows, with the short lines between them (`}`, `do{`, a numbered
 * blank line), and short lines above or below that sit on the same grid.
 */
export function findMonoRegions(lines: readonly LayoutLine[], opts: FindMonoOptions = {}): MonoRegion[] {
  const minStrength = opts.minStrength ?? 0.8;
  const minBlobs = opts.minBlobs ?? 8;
  const maxGap = opts.maxGap ?? 4.5;
  // Words set one by one in a code font (word-grid.ts) are on a grid within each word only.
  const wordGrid = new Map<number, PitchFit>();
  const fits = lines.map((l, i) => {
    const f = fitPitch(centersOf(l.blobs), l.rowHeight);
    if (f.strength >= minStrength) return f;
    const w = wordGridFit(l);
    if (!w || w.strength < WORD_GRID_STRENGTH) return f;
    wordGrid.set(i, w);
    return w;
  });
  const heading = headingLines(lines, opts.maxRowRatio ?? 1.5);
  // A "line" far taller than its row is a column read downwards (listing line numbers): never code.
  const strong = lines.map((l, i) => !heading.has(i) && l.blobs.length >= minBlobs && fits[i]!.strength >= minStrength && l.y1 - l.y0 <= l.rowHeight * 2);
  const groups: number[][] = [];
  let cur: number[] = [];
  let pending: number[] = [];
  // Below the last line, within maxGap rows, and overlapping the group's columns (indentation varies).
  const near = (a: LayoutLine, b: LayoutLine): boolean => {
    const x0 = Math.min(...cur.map((i) => lines[i]!.x0));
    const x1 = Math.max(...cur.map((i) => lines[i]!.x1));
    return b.y0 >= a.y0 && b.y0 - a.y1 <= Math.max(a.rowHeight, b.rowHeight) * maxGap && b.x0 < x1 + a.rowHeight * 2 && b.x1 > x0 - a.rowHeight * 2;
  };
  const flush = (): void => {
    if (cur.length > 0) groups.push(cur);
    cur = [];
    pending = [];
  };
  lines.forEach((line, i) => {
    if (line.y1 - line.y0 > line.rowHeight * 2) return;
    if (heading.has(i)) return flush();
    // The gap is measured from the last line kept, short ones included (`}` `}` `}` then `case`).
    const lastIndex = pending.length > 0 ? pending[pending.length - 1] : cur[cur.length - 1];
    const last = lastIndex === undefined ? null : lines[lastIndex]!;
    if (strong[i]) {
      const pitch = fits[cur[0] ?? i]!.pitch;
      if (last && near(last, line) && Math.abs(fits[i]!.pitch - pitch) <= pitch * 0.06) cur.push(...pending, i);
      else {
        flush();
        cur.push(i);
      }
      pending = [];
    } else if (last && line.blobs.length < minBlobs && near(last, line)) {
      pending.push(i);
    } else flush();
  });
  flush();
  // A short line between two regions goes to the first that grows onto it, never to both (read twice: `casecase`).
  const taken = new Set([...groups.flat(), ...heading]);
  return groups
    .map((g) => {
      const out = grow(lines, g, fits, strong, minStrength, taken);
      for (const i of out) taken.add(i);
      return out;
    })
    .map((g) => toRegion(lines, g, wordGrid));
}

/**
 * Joins the pieces of one text row that layout analysis returned as lines of
 * their own: tesseract cuts a row where a wide gap lines up with the row
 * below (`const int      tid = …` over `const int THREAD_N = …` became four
 * lines, two per row, and three regions whose crops read the right halves
 * twice). Two lines join when they are at most two apart in reading order
 * (the columns of a two-column page are pages of lines apart), overlap
 * vertically by 60 % of the lower one, are under 16 rows apart sideways,
 * have rows within 25 % of each other and their glyphs sit on one grid
 * (strength ≥ `minStrength` over both, on the pitch of the longer one).
 */
export function joinRowFragments(lines: readonly LayoutLine[], minStrength = 0.8, minBlobs = 8): LayoutLine[] {
  const out = [...lines];
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < Math.min(out.length, i + 3); j++) {
      const a = out[i]!;
      const b = out[j]!;
      if (!sameRow(a, b) || !oneGrid(a, b, minStrength, minBlobs)) continue;
      out[i] = {
        x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1),
        rowHeight: Math.max(a.rowHeight, b.rowHeight),
        blobs: [...a.blobs, ...b.blobs].sort((p, q) => p.x0 - q.x0),
      };
      out.splice(j, 1);
      j = i;
    }
  }
  return out;
}

function sameRow(a: LayoutLine, b: LayoutLine): boolean {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  const row = Math.max(a.rowHeight, b.rowHeight);
  const gap = Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1);
  return overlap >= Math.min(a.y1 - a.y0, b.y1 - b.y0) * 0.6 && gap >= -row * 0.5 && gap <= row * 16 && Math.abs(a.rowHeight - b.rowHeight) <= row * 0.25 && a.y1 - a.y0 <= a.rowHeight * 2 && b.y1 - b.y0 <= b.rowHeight * 2;
}

function oneGrid(a: LayoutLine, b: LayoutLine, minStrength: number, minBlobs: number): boolean {
  const [long, short] = a.blobs.length >= b.blobs.length ? [a, b] : [b, a];
  if (long.blobs.length < minBlobs || short.blobs.length < 2) return false;
  const fit = fitPitch(centersOf(long.blobs), long.rowHeight);
  if (fit.strength < minStrength) return false;
  return gridStrength(centersOf([...long.blobs, ...short.blobs]), fit.pitch).strength >= minStrength && gridStrength(centersOf(short.blobs), fit.pitch).strength >= minStrength;
}

/**
 * Splits a label off the code line it shares a row with: a line not on a grid
 * as a whole, whose glyphs left of its widest gap (at least three rows wide)
 * are — `struct sha512_224_ctx` with `[Context struct]` at the right margin,
 * as Texinfo sets definitions (the nettle manual), which layout analysis
 * returns as one line. The code part stays in place; the label parts are
 * appended after all lines (so no region or run of prose is cut by them) and
 * their indexes returned: they are neither code nor read (the text layer's
 * listing has no label either, find-listings.ts dropBesideText).
 */
export function splitBesideLabels(lines: readonly LayoutLine[], minStrength = 0.8, minBlobs = 8): { lines: LayoutLine[]; labels: Set<number> } {
  const out = [...lines];
  const tail: LayoutLine[] = [];
  out.forEach((l, i) => {
    if (l.blobs.length < minBlobs * 2 || l.y1 - l.y0 > l.rowHeight * 2) return;
    if (fitPitch(centersOf(l.blobs), l.rowHeight).strength >= minStrength) return;
    const bs = [...l.blobs].sort((a, b) => a.x0 - b.x0);
    let at = -1;
    let widest = 0;
    for (let k = 1; k < bs.length; k++) {
      const gap = bs[k]!.x0 - bs[k - 1]!.x1;
      if (gap > widest) [widest, at] = [gap, k];
    }
    if (widest < l.rowHeight * 3 || at < minBlobs) return;
    const left = bs.slice(0, at);
    const right = bs.slice(at);
    const fit = fitPitch(centersOf(left), l.rowHeight);
    if (fit.strength < minStrength || gridStrength(centersOf(right), fit.pitch).strength >= minStrength) return;
    out[i] = { ...boxOf(left), rowHeight: l.rowHeight, blobs: left };
    tail.push({ ...boxOf(right), rowHeight: l.rowHeight, blobs: right });
  });
  return { lines: [...out, ...tail], labels: new Set(tail.map((_, k) => out.length + k)) };
}

function boxOf(blobs: readonly PixelBox[]): PixelBox {
  return { x0: Math.min(...blobs.map((b) => b.x0)), y0: Math.min(...blobs.map((b) => b.y0)), x1: Math.max(...blobs.map((b) => b.x1)), y1: Math.max(...blobs.map((b) => b.y1)) };
}

/**
 * Lines set much larger than the page's body text: their row (as tesseract
 * estimates it) is over `maxRowRatio` times the page's median row, and their
 * ink box over 1.25 times the median box. The row estimate alone is noisy — a
 * code line full of parentheses came out at 1.52 rows (Yosys manual p. 62,
 * box 1.0) — and boxes of prose lines are tall with ascenders and descenders,
 * so a 1.9-row heading's box is only 1.4 times theirs (NVIDIA smokeParticles p. 5).
 */
export function headingLines(lines: readonly LayoutLine[], maxRowRatio: number): Set<number> {
  const flat = lines.filter((l) => l.y1 - l.y0 <= l.rowHeight * 2);
  const row = median(flat.map((l) => l.rowHeight));
  const box = median(flat.map((l) => l.y1 - l.y0));
  const out = new Set<number>();
  lines.forEach((l, i) => {
    if (row > 0 && l.rowHeight > row * maxRowRatio && l.y1 - l.y0 > box * 1.25) out.add(i);
  });
  return out;
}

/**
 * Lines in the margin beside a monospace region: narrow (at most `maxCells`
 * cells of the region's pitch), entirely left of the region's box and within
 * its height — a listing's line-number column, which layout analysis returns
 * as lines of its own (one per number, or a column read downwards). They are
 * neither prose nor code: reading them puts `D9`/`oe` before the code lines,
 * and a placeholder for them would cut the listing in two.
 */
export function marginColumnLines(lines: readonly LayoutLine[], regions: readonly MonoRegion[], maxCells = 5): Set<number> {
  const out = new Set<number>();
  const inRegion = new Set(regions.flatMap((r) => r.lines));
  lines.forEach((l, i) => {
    if (inRegion.has(i)) return;
    for (const r of regions) {
      const mid = (l.y0 + l.y1) / 2;
      if (l.x1 <= r.box.x0 + r.pitch * 0.25 && l.x1 - l.x0 <= r.pitch * maxCells && r.box.x0 - l.x1 <= r.pitch * 4 && mid >= r.box.y0 - l.rowHeight && mid <= r.box.y1 + l.rowHeight) {
        out.add(i);
        return;
      }
    }
  });
  return out;
}

/** Adds the lines right above and below a group that sit on its grid (a lone `}` or `{`, a long line just under the strength for a region of its own). */
function grow(lines: readonly LayoutLine[], group: number[], fits: readonly PitchFit[], strong: readonly boolean[], minStrength: number, taken: ReadonlySet<number>): number[] {
  const pitch = median(group.filter((i) => strong[i]).map((i) => fits[i]!.pitch));
  const phase = gridStrength(group.flatMap((i) => centersOf(lines[i]!.blobs)), pitch).phase;
  const onGrid = (i: number): boolean => {
    const l = lines[i];
    if (!l || strong[i] || group.includes(i) || taken.has(i)) return false;
    const g = gridStrength(centersOf(l.blobs), pitch);
    const shift = Math.abs(((g.phase - phase + pitch * 1.5) % pitch) - pitch / 2);
    // A long line on the region's own grid needs less: glyph centres of prose fall on a given grid with a
    // resultant of about 1/sqrt(blobs) (< 0.25 from 16 blobs on), and a code line whose `&(` or `->` ink
    // merges scores 0.79 (NVIDIA's MatrixTranspose p. 4, the listing's last line, lost before).
    const need = l.blobs.length >= 16 ? minStrength - 0.1 : minStrength;
    return g.strength >= need && shift <= pitch * 0.25;
  };
  const out = [...group];
  // Above means above (and below below): a line-number column beside the code is no `}` of it.
  const gapAbove = (i: number): number => lines[out[0]!]!.y0 - lines[i]!.y1;
  const gapBelow = (i: number): number => lines[i]!.y0 - lines[out[out.length - 1]!]!.y1;
  for (let i = group[0]! - 1; onGrid(i) && gapAbove(i) >= -2 && gapAbove(i) <= lines[i]!.rowHeight * 2; i--) out.unshift(i);
  for (let i = group[group.length - 1]! + 1; onGrid(i) && gapBelow(i) >= -2 && gapBelow(i) <= lines[i]!.rowHeight * 2; i++) out.push(i);
  return out;
}

function toRegion(lines: readonly LayoutLine[], group: number[], wordGrid: ReadonlyMap<number, PitchFit> = new Map()): MonoRegion {
  const members = group.map((i) => lines[i]!);
  const long = members.filter((l) => l.blobs.length >= 8);
  // Across the words of word-placed lines there is no one grid to refine on: when no long line is on a
  // grid as a whole, their own pitch it is.
  const byWord = group.filter((i) => wordGrid.has(i));
  const pitch = byWord.length > 0 && long.every((l) => wordGrid.has(lines.indexOf(l))) ? median(byWord.map((i) => wordGrid.get(i)!.pitch)) : refine(centersOf((long.length > 0 ? long : members).flatMap((l) => l.blobs)), median((long.length > 0 ? long : members).map((l) => fitPitch(centersOf(l.blobs), l.rowHeight).pitch)), 0.3).pitch;
  const common = gridStrength(centersOf(members.flatMap((l) => l.blobs)), pitch).phase;
  // Short lines take the region's phase: two glyphs say little about a grid.
  const phases = members.map((l, k) => {
    if (wordGrid.has(group[k]!)) return firstWordPhase(l, pitch);
    return l.blobs.length >= 4 ? gridStrength(centersOf(l.blobs), pitch).phase : common;
  });
  return {
    lines: group,
    pitch,
    phases,
    box: {
      x0: Math.min(...members.map((l) => l.x0)),
      y0: Math.min(...members.map((l) => l.y0)),
      x1: Math.max(...members.map((l) => l.x1)),
      y1: Math.max(...members.map((l) => l.y1)),
    },
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
