import { plainText, type Line } from './layout.js';

/** One page's lines and height, as the furniture finder sees them. */
export interface PageLines {
  page: number;
  height: number;
  lines: Line[];
}

export interface FurnitureOptions {
  /** Share of the page height at the top and at the bottom where headers and footers live. @default 0.1 */
  band?: number;
  /**
   * A band line seen (digits ignored) on at least this many pages is a running
   * header/footer. Small on purpose: books change the running head per chapter,
   * so "CHAPTER 6. PROGRAMMING YOSYS EXTENSIONS" may recur on only a few pages.
   * Two-page documents need it on both. @default 3
   */
  minPages?: number;
}

const PAGE_NUMBER = /^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/**
 * Finds running headers, footers and page numbers: the outermost lines of each
 * page inside the top or bottom band that either look like a page number (and
 * stand apart from the body) or repeat, digits masked, on other pages in the
 * same band ("CHAPTER 2. BASIC PRINCIPLES" on pages 21, 23, 25, …). Only the two
 * outermost lines per edge are candidates, so a listing line that happens to
 * repeat ("endmodule") deep in a page is never taken.
 */
export function findFurniture(pages: readonly PageLines[], opts: FurnitureOptions = {}): Set<Line> {
  const band = opts.band ?? 0.1;
  const candidates: Array<{ line: Line; edge: 'top' | 'bottom'; key: string; apart: boolean }> = [];
  for (const p of pages) {
    const lines = p.lines;
    for (const [edge, picks] of [['top', lines.slice(0, 2)], ['bottom', lines.slice(-2).reverse()]] as const) {
      for (const line of picks) {
        const inBand = edge === 'top' ? line.y1 <= p.height * band : line.y0 >= p.height * (1 - band);
        if (!inBand) break;
        candidates.push({ line, edge, key: `${edge}:${maskDigits(plainText(line))}`, apart: standsApart(line, lines) });
      }
    }
  }
  const pagesWith = new Map<string, Set<number>>();
  for (const c of candidates) (pagesWith.get(c.key) ?? pagesWith.set(c.key, new Set()).get(c.key)!).add(c.line.page);
  const needed = Math.min(opts.minPages ?? 3, Math.max(2, pages.length));
  const out = new Set<Line>();
  for (const c of candidates) {
    const text = plainText(c.line);
    if ((PAGE_NUMBER.test(text) && c.apart) || (pagesWith.get(c.key)?.size ?? 0) >= needed) out.add(c.line);
  }
  return out;
}

function maskDigits(s: string): string {
  return s.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** A page number is set off from the body by more than one and a half line heights. */
function standsApart(line: Line, lines: readonly Line[]): boolean {
  const h = line.y1 - line.y0;
  const others = lines.filter((l) => l !== line);
  const gap = Math.min(...others.map((l) => (l.y0 > line.y1 ? l.y0 - line.y1 : line.y0 > l.y1 ? line.y0 - l.y1 : 0)));
  return others.length === 0 || gap > h * 1.5;
}
