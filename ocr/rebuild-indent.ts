import type { Run } from './layout.js';
import type { CodeLine } from './find-listings.js';

/**
 * Rebuilds listing text from positions: indentation and alignment come from x
 * (in character columns), blank lines from vertical gaps. `segments` are the
 * per-page parts of one listing (see {@link segmentBases} for their margins).
 */
export function rebuildListingText(segments: ReadonlyArray<readonly CodeLine[]>, stripNumbers: boolean): string {
  const runsOf = segments.map((seg) => {
    const runs = seg.map((c) => (stripNumbers ? c.runs : [...c.numberRuns, ...c.runs]));
    return stripNumbers ? dropNumberColumn(seg, runs) : runs;
  });
  const all = runsOf.flat(2);
  const pitch = estimatePitch(all);
  const bases = segmentBases(segments, runsOf, pitch);
  const offsets = runsOf.flatMap((seg, k) => seg.filter((r) => r.length > 0).map((r) => r[0]!.x - bases[k]!));
  const toCols = indentColumns(offsets, pitch);
  const out: string[] = [];
  let lastNumber: number | null = null;
  segments.forEach((seg, k) => {
    // Numbered blank lines at a page edge are trimmed with the page; the numbering says how many.
    const first = seg.find((c) => c.number !== null)?.number ?? null;
    if (stripNumbers && lastNumber !== null && first !== null) for (let n = lastNumber + 1; n < first; n++) out.push('');
    out.push(...rebuildSegment(seg, runsOf[k]!, bases[k]!, pitch, toCols));
    lastNumber = [...seg].reverse().find((c) => c.number !== null)?.number ?? lastNumber;
  });
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  while (out.length > 0 && out[0] === '') out.shift();
  // U+2423 OPEN BOX is how LaTeX listings print a space inside string literals.
  return out.join('\n').replace(/\u2423/g, ' ') + '\n';
}

/**
 * Column 0 of each page's part. The first page's is its leftmost line. A
 * continuation page may hold only indented lines, so its own leftmost line is
 * no anchor: with line numbers, column 0 keeps its distance from the numbers'
 * right edge; without, it stays where the first page had it unless the page
 * has a line further left (a page with a different margin).
 */
function segmentBases(segments: ReadonlyArray<readonly CodeLine[]>, runsOf: Run[][][], pitch: number): number[] {
  const leftOf = (k: number): number => Math.min(...runsOf[k]!.filter((r) => r.length > 0).map((r) => r[0]!.x), Infinity);
  const numberRight = (k: number): number | null => {
    const ends = segments[k]!.filter((c) => c.number !== null && c.numberRuns.length > 0).map((c) => c.numberRuns[0]!.x + c.numberRuns[0]!.width);
    return ends.length > 0 ? Math.max(...ends) : null;
  };
  const base0 = leftOf(0);
  const num0 = numberRight(0);
  return segments.map((_, k) => {
    if (k === 0) return base0;
    const own = leftOf(k);
    const num = numberRight(k);
    if (num0 !== null && num !== null) return Math.min(own, num + (base0 - num0));
    return own < base0 - pitch * 0.5 ? own : Math.min(own, base0);
  });
}

function rebuildSegment(seg: readonly CodeLine[], lineRuns: Run[][], base: number, pitch: number, toCols: (dx: number) => number): string[] {
  if (lineRuns.flat().length === 0) return seg.map(() => '');
  const linePitch = medianLinePitch(seg);
  const out: string[] = [];
  seg.forEach((c, i) => {
    const prev = seg[i - 1];
    if (prev && linePitch > 0) {
      const blanks = Math.round((baseline(c) - baseline(prev)) / linePitch) - 1;
      for (let b = 0; b < Math.min(3, blanks); b++) out.push('');
    }
    out.push(lineText(lineRuns[i]!, base, pitch, toCols));
  });
  return out;
}

/**
 * With line numbers stripped, a leading run that sits in the number column
 * (ends left of where the numbered lines' code starts) is a number OCR could
 * not read ("(6)" for 75): it goes too.
 */
function dropNumberColumn(seg: readonly CodeLine[], lineRuns: Run[][]): Run[][] {
  const starts = seg.filter((c) => c.number !== null && c.runs.length > 0).map((c) => c.runs[0]!.x);
  if (starts.length === 0) return lineRuns;
  const codeLeft = Math.min(...starts);
  const pitch = estimatePitch(lineRuns.flat());
  return lineRuns.map((runs) => (runs.length > 1 && runs[0]!.x + runs[0]!.width < codeLeft - pitch * 0.5 ? runs.slice(1) : runs));
}

function lineText(runs: readonly Run[], base: number, pitch: number, toCols: (dx: number) => number): string {
  if (runs.length === 0) return '';
  let text = ' '.repeat(toCols(runs[0]!.x - base)) + runs[0]!.text;
  let end = runs[0]!.x + runs[0]!.width;
  for (const r of runs.slice(1)) {
    const gap = r.x - end;
    if (gap >= pitch * 1.5) {
      // Aligned columns (trailing comments, port lists) keep their column.
      const col = Math.round((r.x - base) / pitch);
      text += ' '.repeat(Math.max(1, col - text.length));
    } else if (gap > pitch * 0.25 && !text.endsWith(' ') && !r.text.startsWith(' ')) {
      text += ' ';
    }
    text += r.text;
    end = r.x + r.width;
  }
  return text.trimEnd();
}

/**
 * Maps a line's left offset to columns. Offsets are snapped to multiples of the
 * smallest indentation step when they are close to one: flexible-column
 * listings (LaTeX `listings`' default) squeeze glyphs, so offset / glyph width
 * drifts by a column per level, while indentation levels stay exact multiples.
 */
export function indentColumns(offsets: readonly number[], pitch: number): (dx: number) => number {
  const steps = offsets.filter((d) => d > pitch * 0.5);
  const step = steps.length > 0 ? Math.min(...steps) : 0;
  const stepCols = step > 0 ? snapIndentWidth(step / pitch) : 0;
  return (dx) => {
    if (dx <= pitch * 0.5) return 0;
    if (step > 0) {
      const r = dx / step;
      if (Math.abs(r - Math.round(r)) < 0.15) return Math.round(r) * stepCols;
    }
    return Math.round(dx / pitch);
  };
}

/**
 * Indentation steps in source code are 2, 3, 4 or 8 columns (a tab) almost
 * always; an estimate within 20 % of one of them is taken as that one, because
 * the glyph-width estimate of squeezed listings is off by about that much.
 */
export function snapIndentWidth(cols: number): number {
  for (const w of [2, 4, 8, 3]) if (Math.abs(cols - w) <= w * 0.2) return w;
  return Math.max(1, Math.round(cols));
}

/** Glyph advance of the listing's font: median width per character of runs without spaces. */
export function estimatePitch(runs: readonly Run[]): number {
  const solid = runs.filter((r) => r.text.length >= 2 && !/\s/.test(r.text));
  const pool = solid.length >= 3 ? solid : runs.filter((r) => r.text.length > 0);
  const perChar = pool.map((r) => r.width / r.text.length).sort((a, b) => a - b);
  const mid = perChar[Math.floor(perChar.length / 2)];
  return mid && mid > 0 ? mid : (runs[0]?.height ?? 10) * 0.6;
}

function medianLinePitch(seg: readonly CodeLine[]): number {
  const d: number[] = [];
  for (let i = 1; i < seg.length; i++) d.push(baseline(seg[i]!) - baseline(seg[i - 1]!));
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)] ?? 0;
}

/** Baseline of a listing line, from its first run (line numbers may be set in a bigger font). */
function baseline(c: CodeLine): number {
  const r = c.runs[0] ?? c.numberRuns[0] ?? c.line.runs[0];
  return r ? r.y + r.height * 0.8 : c.line.y1;
}
