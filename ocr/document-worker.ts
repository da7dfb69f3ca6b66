import { parentPort, workerData } from 'node:worker_threads';
import { extractDocument, type ExtractResult } from './extract-document.js';
import { documentVocabulary, toSnippet, type Snippet } from './listing-snippets.js';
import { ocrPage } from './ocr-page.js';
import { createOcrEngine, type OcrEngine } from './tesseract-pool.js';
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
 * parser or eats memory kills this thread, never the crawl. The OCR engine
 * starts only when the first page without a text layer turns up.
 */
async function run(job: DocumentJob): Promise<DocumentReply> {
  let engine: Promise<OcrEngine> | null = null;
  const ocr = async (page: PdfPage, n: number) => {
    const e = await (engine ??= createOcrEngine({ workers: job.ocrWorkers }));
    return ocrPage(page, n, e, { dpi: job.dpi, maxPixels: job.maxPixels });
  };
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
  } finally {
    const started = engine as Promise<OcrEngine> | null;
    if (started) await (await started).close().catch(() => undefined);
  }
}

parentPort?.postMessage(await run(workerData as DocumentJob));
