import { errorRatio, parseSource } from '../annotate/tree-sitter.js';
import { looksLikeCode } from './code-shape.js';
import type { MonoRegion } from './fixed-pitch.js';
import type { Run } from './layout.js';
import { guessSnippetLanguage } from './snippet-language.js';

/** A run in page pixels (converted to points at the end of ocrPage). */
export interface PixelRun extends Run {
  /** The layout line it was read on (-1: a placeholder for a line not read). */
  lineIndex: number;
}

/**
 * Keeps the line that starts a listing when layout analysis left it out of the
 * monospace region (merged with a frame edge, or too short to show its grid):
 * the prose line right above the region joins it when it looks like code and
 * the listing with it parses no worse than without it — `__device__ void
 * addData256(` above `volatile unsigned int *s_WarpHist,`. Languages without a
 * grammar take the line on its code shape alone. The line's runs are marked
 * fixed-pitch and put on the region's grid.
 */
export function growDeclaration(code: PixelRun[], prose: ReadonlyArray<readonly PixelRun[]>, region: MonoRegion): boolean {
  const above = region.lines[0]! - 1;
  const head = prose.flat().filter((r) => r.lineIndex === above);
  if (head.length === 0 || code.length === 0) return false;
  const top = Math.min(...code.map((r) => r.y));
  const bottom = Math.max(...head.map((r) => r.y + r.height));
  if (top - bottom > head[0]!.height * 1.5) return false;
  const headText = head.map((r) => r.text).join(' ');
  if (!looksLikeCode(headText)) return false;
  const body = textOf(code);
  const { lang } = guessSnippetLanguage(`${headText}\n${body}`);
  const without = parseSource(lang, body);
  if (without) {
    const joined = `${headText}\n${body}`;
    const withHead = parseSource(lang, joined)!;
    if (errorRatio(withHead, joined.length) > errorRatio(without, body.length) + 1e-9) return false;
  }
  const phase = region.phases[0]!;
  for (const r of head) {
    // Ink starts within the first half of a glyph's cell, so the cell is the floor.
    const col = Math.floor((r.x - phase + region.pitch / 2) / region.pitch + 0.1);
    r.x = phase + col * region.pitch - region.pitch / 2;
    r.width = [...r.text].length * region.pitch;
    r.mono = true;
  }
  return true;
}

/** Text of runs line by line (single spaces), for a parse check. */
function textOf(runs: readonly PixelRun[]): string {
  const byLine = new Map<number, PixelRun[]>();
  for (const r of runs) (byLine.get(r.lineIndex) ?? byLine.set(r.lineIndex, []).get(r.lineIndex)!).push(r);
  return [...byLine.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, rs]) => rs.sort((a, b) => a.x - b.x).map((r) => r.text).join(' '))
    .join('\n');
}
