import { groupLines, splitColumns, type Line, type Run } from './layout.js';
import { findFurniture } from './page-furniture.js';
import { isBulletedList } from './bullet-lists.js';
import { inferCodeFonts } from './code-shape.js';
import { findListings, type ListingBlock } from './find-listings.js';
import { assembleListings, type Listing } from './join-pages.js';
import { describePdfError, openPdf, type PdfPage } from './pdfjs.js';
import { hasUsableText, readTextLayer } from './text-layer.js';

export type PageMethod = 'text-layer' | 'ocr';

/** A listing plus how its text was read. */
export interface ExtractedListing extends Listing {
  method: PageMethod;
}

export interface ExtractOptions {
  /** Pages beyond this are not read; the document is recorded as partial. @default 2000 */
  maxPages?: number;
  /** First page to read (1-based), for reading part of a document. @default 1 */
  firstPage?: number;
  /** Pages in flight at once; set it to the OCR pool size so every worker has a page. @default 1 */
  concurrency?: number;
  /** OCR for pages without a usable text layer: `auto`, or `off` to skip them. @default 'auto' */
  ocr?: 'auto' | 'off';
  /** Recognizes a page without a text layer; returns runs in points. Required when `ocr` is `auto`. */
  ocrPage?: (page: PdfPage, pageNo: number) => Promise<Run[]>;
  /** Called after each page (progress). */
  onPage?: (pageNo: number, method: PageMethod | 'skipped') => void;
}

export interface ExtractResult {
  title: string | null;
  pages: number;
  pagesText: number;
  pagesOcr: number;
  /** Pages not read (OCR off or failed, over the page budget), with why. */
  skipped: Array<{ page: number; reason: string }>;
  listings: ExtractedListing[];
}

interface ReadPage {
  page: number;
  height: number;
  method: PageMethod;
  lines: Line[];
}

/**
 * Extracts the listings of one PDF: the text layer first, OCR only for pages
 * without usable text; running headers, footers and page numbers are removed
 * across the whole document before listings are found and joined.
 */
export async function extractDocument(data: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const doc = await openPdf(data).catch((err: unknown) => {
    throw new Error(describePdfError(err), { cause: err });
  });
  try {
    const info = (await doc.getMetadata().catch(() => null))?.info as { Title?: string } | undefined;
    const maxPages = opts.maxPages ?? 2000;
    const read: ReadPage[] = [];
    const skipped: ExtractResult['skipped'] = [];
    const first = Math.max(1, opts.firstPage ?? 1);
    const last = Math.min(doc.numPages, first + maxPages - 1);
    const readOne = async (n: number): Promise<void> => {
      const page = await doc.getPage(n);
      const r = await readPage(page, n, opts).catch((err: unknown) => ({ error: (err as Error).message }));
      page.cleanup();
      if ('error' in r) skipped.push({ page: n, reason: r.error });
      else read.push(r);
      opts.onPage?.(n, 'error' in r ? 'skipped' : r.method);
    };
    // Pages are read `concurrency` at a time so an OCR pool has one page per worker.
    let next = first;
    const lane = async (): Promise<void> => {
      while (next <= last) await readOne(next++);
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
    read.sort((a, b) => a.page - b.page);
    skipped.sort((a, b) => a.page - b.page);
    if (doc.numPages > last) skipped.push({ page: last + 1, reason: `page budget: ${doc.numPages} pages, only ${maxPages} read` });
    markCodeFonts(read);
    const furniture = findFurniture(read);
    const blocks = read.map((p) => findListings(p.lines.filter((l) => !furniture.has(l))));
    const methodOf = new Map(read.map((p) => [p.page, p.method]));
    const listings = assembleListings(blocks.filter((b): b is ListingBlock[] => b.length > 0))
      .map((l): ExtractedListing => ({ ...l, method: methodOf.get(l.pageFrom) ?? 'text-layer' }))
      // On a scan a bulleted list in the code font forms a grid like code (bullet-lists.ts).
      .filter((l) => !(l.method === 'ocr' && isBulletedList(l.text, true)));
    return {
      title: typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim().slice(0, 300) : null,
      pages: doc.numPages,
      pagesText: read.filter((p) => p.method === 'text-layer').length,
      pagesOcr: read.filter((p) => p.method === 'ocr').length,
      skipped,
      listings,
    };
  } finally {
    await doc.destroy();
  }
}

async function readPage(page: PdfPage, n: number, opts: ExtractOptions): Promise<ReadPage | { error: string }> {
  const { width, height } = page.getViewport({ scale: 1 });
  let runs = await readTextLayer(page);
  let method: PageMethod = 'text-layer';
  if (!hasUsableText(runs)) {
    if ((opts.ocr ?? 'auto') === 'off' || !opts.ocrPage) return { error: 'no usable text layer and OCR is off' };
    runs = await opts.ocrPage(page, n);
    method = 'ocr';
  }
  return { page: n, height, method, lines: readingOrder(splitColumns(groupLines(n, runs), width), width) };
}

/** Runs in fonts the document uses for code (see inferCodeFonts) count as fixed-pitch. */
function markCodeFonts(pages: readonly ReadPage[]): void {
  const textPages = pages.filter((p) => p.method === 'text-layer');
  const codeFonts = inferCodeFonts(textPages.flatMap((p) => p.lines));
  if (codeFonts.size === 0) return;
  for (const p of textPages) for (const l of p.lines) for (const r of l.runs) if (r.font && codeFonts.has(r.font)) r.mono = true;
}

/** Two-column pages read the left column top to bottom, then the right one. */
function readingOrder(lines: Line[], width: number): Line[] {
  const mid = width / 2;
  const right = lines.filter((l) => l.x0 >= mid - 2);
  const left = lines.filter((l) => l.x1 <= mid + 2);
  if (right.length < 5 || left.length < 5) return lines;
  const col = (l: Line): number => (l.x0 >= mid - 2 ? 1 : 0);
  return [...lines].sort((a, b) => col(a) - col(b) || a.y0 - b.y0);
}
