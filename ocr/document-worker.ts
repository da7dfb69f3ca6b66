import { parentPort, workerData } from 'node:worker_threads';
import { extractDocument, type ExtractResult } from './extract-document.js';
import { documentVocabulary, toSnippet, type Snippet } from './listing-snippets.js';
import { ocrPage } from './ocr-page.js';
import { remoteOcrEngine } from './shared-ocr.js';
import type { PdfPage } from './pdfjs.js';

/** What the budgeted worker is given (see extract-with-budget.ts). */
export interface DocumentJob {
  data: Uint8Array;
  maxPages: number;
  ocr: 'auto' | 'off';
  ocrWorkers: number;
  dpi: number;
  maxPixels: number;
}

export type DocumentReply =
  | { ok: true; result: Omit<ExtractResult, 'listings'> & { snippets: Snippet[] } }
  | { ok: false; error: string }
  | { progress: number };

/**
 * Runs in a worker thread so the caller can bound it: a PDF that loops the
 * parser or eats memory kills this thread, never the crawl.
 */
async function run(job: DocumentJob): Promise<DocumentReply> {
  // OCR runs on the crawl's shared pool (shared-ocr.ts), which starts on the first scanned page.
  const engine = remoteOcrEngine(parentPort!);
  const ocr = (page: PdfPage, n: number) => ocrPage(page, n, engine, { dpi: job.dpi, maxPixels: job.maxPixels });
  try {
    const { listings, ...rest } = await extractDocument(job.data, {
      maxPages: job.maxPages,
      ocr: job.ocr,
      ocrPage: ocr,
      concurrency: job.ocrWorkers,
      onPage: (n) => parentPort?.postMessage({ progress: n } satisfies DocumentReply),
    });
    const vocabulary = documentVocabulary(listings);
    return { ok: true, result: { ...rest, snippets: listings.map((l) => toSnippet(l, { vocabulary })) } };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

parentPort?.postMessage(await run(workerData as DocumentJob));
