import type { LayoutLine, PixelBox } from './tesseract-pool.js';

/** A glyph grid fitted to x positions: cell width, the x of a cell centre, how well the glyphs sit on it (0–1). */
export interface PitchFit {
  pitch: number;
  phase: number;
  strength: number;
}

/**
 * A code font whose words the PDF placed one by one. DocBook output (bzip2's
 * manual: `Compression:   400k + ( 8 x block size )`, its table's header
 * row) sets each word in Courier but the gaps between words in the body's
 * spacing, so the glyphs sit on a grid within each word and the line as a whole
 * scores 0.53–0.68 — under the 0.8 that finds code. Here every word of ≥ 3 glyphs
 * may have its own phase on one shared pitch. Measured at 200 DPI over ten
 * scanned pages of six manuals (2026-12-03 c): those code lines score ≥ 0.99,
 * and no prose line with 12 or more glyphs in such words reached 0.9
 * (proportional prose scores 0.57–0.78: its letters differ in width within a word).
 */
export interface WordGridOptions {
  /** Glyphs in words of ≥ 3 glyphs needed to judge. @default 12 */
  minGlyphs?: number;
  /** Share of the line's glyphs those words must hold. @default 0.6 */
  minShare?: number;
}

/** The line's grid when its words sit on one pitch each with its own phase, or null when it has too few word glyphs to say. */
export function wordGridFit(line: LayoutLine, opts: WordGridOptions = {}): PitchFit | null {
  const words = splitWords(line).filter((w) => w.length >= 3);
  const n = words.reduce((s, w) => s + w.length, 0);
  if (n < (opts.minGlyphs ?? 12) || n < line.blobs.length * (opts.minShare ?? 0.6)) return null;
  let best: PitchFit = { pitch: line.rowHeight * 0.6, phase: 0, strength: 0 };
  for (let p = line.rowHeight * 0.4; p <= line.rowHeight * 1.05; p += 0.05) {
    let sum = 0;
    for (const w of words) sum += resultant(w, p);
    if (sum / n > best.strength + 1e-9) best = { pitch: p, phase: phaseOf(words[0]!, p), strength: sum / n };
  }
  // Then to 0.01 px, as fixed-pitch.ts refines a line's grid.
  const coarse = best.pitch;
  for (let p = coarse - 0.05; p <= coarse + 0.05; p += 0.01) {
    let sum = 0;
    for (const w of words) sum += resultant(w, p);
    if (sum / n > best.strength + 1e-9) best = { pitch: p, phase: phaseOf(words[0]!, p), strength: sum / n };
  }
  return best;
}

/** Cell-centre x of the line's first word on `pitch`: where its indentation is read from (the other words each have their own). */
export function firstWordPhase(line: LayoutLine, pitch: number): number {
  return phaseOf(splitWords(line)[0] ?? [], pitch);
}

/** Glyph runs separated by gaps over 0.35 rows (a letter gap in Courier at 200 DPI is 3–5 px of 25-px rows, a word gap a cell). */
function splitWords(line: LayoutLine): PixelBox[][] {
  const out: PixelBox[][] = [];
  let cur: PixelBox[] = [];
  for (const b of [...line.blobs].sort((a, c) => a.x0 - c.x0)) {
    if (cur.length > 0 && b.x0 - cur[cur.length - 1]!.x1 > line.rowHeight * 0.35) {
      out.push(cur);
      cur = [];
    }
    cur.push(b);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function sums(blobs: readonly PixelBox[], pitch: number): [number, number] {
  let sx = 0;
  let sy = 0;
  for (const b of blobs) {
    const a = (Math.PI * (b.x0 + b.x1)) / pitch;
    sx += Math.cos(a);
    sy += Math.sin(a);
  }
  return [sx, sy];
}

const resultant = (blobs: readonly PixelBox[], pitch: number): number => Math.hypot(...sums(blobs, pitch));

function phaseOf(blobs: readonly PixelBox[], pitch: number): number {
  const [sx, sy] = sums(blobs, pitch);
  return ((Math.atan2(sy, sx) / (2 * Math.PI)) * pitch + pitch) % pitch;
}
