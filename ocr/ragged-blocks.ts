import type { LayoutLine } from './tesseract-pool.js';

/**
 * Candidate listings set in a proportional font (a renderer's substitute for
 * a Type 3 code font, or a book that sets code in roman): three or more
 * consecutive lines, none of them a full-width line of justified prose, that
 * are not part of a monospace region. They are recognized and then judged by
 * their code shape line by line (code-shape.ts), as the whole-page OCR used to.
 */
export function findRaggedBlocks(lines: readonly LayoutLine[], taken: ReadonlySet<number>, minLines = 3): number[][] {
  const widths = lines.map((l) => l.x1 - l.x0).sort((a, b) => a - b);
  const column = widths[Math.floor(widths.length * 0.9)] ?? 0;
  const blocks: number[][] = [];
  let cur: number[] = [];
  const close = (): void => {
    if (cur.length >= minLines) blocks.push(cur);
    cur = [];
  };
  lines.forEach((l, i) => {
    const prev = cur.length > 0 ? lines[cur[cur.length - 1]!]! : null;
    const short = l.x1 - l.x0 < column * 0.8 && l.y1 - l.y0 <= l.rowHeight * 2;
    if (taken.has(i) || !short) return close();
    if (prev && (l.y0 < prev.y0 || l.y0 - prev.y1 > Math.max(l.rowHeight, prev.rowHeight) * 1.5)) close();
    cur.push(i);
  });
  close();
  return blocks;
}
