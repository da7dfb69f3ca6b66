import { boxOf, type Box } from './layout.js';
import type { ListingBlock } from './find-listings.js';
import { looksLikeLineNumbers } from './line-numbers.js';
import { estimatePitch, rebuildListingText } from './rebuild-indent.js';

/** A listing as extracted: text plus where it came from. */
export interface Listing {
  text: string;
  pageFrom: number;
  pageTo: number;
  boxes: Box[];
  caption: string | null;
  context: string | null;
  lineNumbersRemoved: boolean;
}

/**
 * Joins listings that continue across a page break and renders each as text.
 * A block that ends its page joins the first block of the next page when that
 * one starts the page (a caption above it or prose below the first one means
 * it is not a continuation), and either continues the line
 * numbering or (without numbers) is set in the same font size.
 */
export function assembleListings(blocksByPage: ReadonlyArray<readonly ListingBlock[]>): Listing[] {
  const groups: ListingBlock[][] = [];
  let prevLast: ListingBlock | null = null;
  for (const blocks of blocksByPage) {
    blocks.forEach((b, i) => {
      const continues = i === 0 && prevLast !== null && prevLast.page === b.page - 1 && continuesAcrossPages(prevLast, b);
      if (continues) groups[groups.length - 1]!.push(b);
      else groups.push([b]);
    });
    prevLast = blocks.length > 0 ? blocks[blocks.length - 1]! : null;
  }
  return groups.map(toListing);
}

function continuesAcrossPages(a: ListingBlock, b: ListingBlock): boolean {
  if (!a.atBottom || !b.atTop) return false;
  const lastA = [...a.lines].reverse().find((l) => l.number !== null)?.number ?? null;
  const firstB = b.lines.find((l) => l.number !== null)?.number ?? null;
  if (lastA !== null && firstB !== null && looksLikeLineNumbers(a.lines.map((l) => l.number))) {
    // Numbered blank lines at a page's end are trimmed, so allow a small jump.
    return firstB > lastA && firstB <= lastA + 3;
  }
  const pa = estimatePitch(a.lines.flatMap((l) => l.runs));
  const pb = estimatePitch(b.lines.flatMap((l) => l.runs));
  return Math.abs(pa - pb) <= Math.max(pa, pb) * 0.1;
}

function toListing(group: ListingBlock[]): Listing {
  const numbers = group.flatMap((b) => b.lines.map((l) => l.number));
  const strip = looksLikeLineNumbers(numbers);
  const segments = group.map((b) => b.lines);
  return {
    text: rebuildListingText(segments, strip),
    pageFrom: group[0]!.page,
    pageTo: group[group.length - 1]!.page,
    boxes: group.map((b) => boxOf(b.lines.map((l) => l.line))),
    caption: group.find((b) => b.caption)?.caption ?? null,
    context: group[0]!.context,
    lineNumbersRemoved: strip,
  };
}
