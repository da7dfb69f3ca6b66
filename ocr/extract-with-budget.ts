import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DocumentJob, DocumentReply } from './document-worker.js';
import { createSharedOcr, type SharedOcr } from './shared-ocr.js';

export interface BudgetOptions {
  /** Wall-clock budget per document; over it the worker is killed. @default 300 s */
  timeoutMs?: number;
  /** V8 heap budget per document (old generation). @default 1024 MiB */
  maxHeapMb?: number;
  /** @default 2000 */
  maxPages?: number;
  /** @default 'auto' */
  ocr?: 'auto' | 'off';
  /** Tesseract workers for the document's scanned pages. @default one per core */
  ocrWorkers?: number;
  /** Resolution scanned pages are rendered at for layout analysis (listing regions are upscaled apart). @default 200 */
  dpi?: number;
  /** @default 60 million */
  maxPixels?: number;
  onPage?: (page: number) => void;
  /** The crawl's OCR pool, shared by its documents; without it the document gets a pool of its own. */
  sharedOcr?: SharedOcr;
}

export type BudgetedResult = Extract<DocumentReply, { ok: true }>['result'];

/**
 * Extracts one document in a worker thread with a time and heap budget. Never
 * throws for a bad document: the error comes back as `{ ok: false, error }`
 * naming the budget or the parser's complaint, and the crawl goes on.
 */
export function extractWithBudget(data: Uint8Array, opts: BudgetOptions = {}): Promise<{ ok: true; result: BudgetedResult } | { ok: false; error: string }> {
  const job: DocumentJob = {
    data,
    maxPages: opts.maxPages ?? 2000,
    ocr: opts.ocr ?? 'auto',
    ocrWorkers: opts.ocrWorkers ?? availableParallelism(),
    dpi: opts.dpi ?? 200,
    maxPixels: opts.maxPixels ?? 60e6,
  };
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const maxHeapMb = opts.maxHeapMb ?? 1024;
  const own = opts.sharedOcr ? null : createSharedOcr({ workers: job.ocrWorkers });
  const ocr = opts.sharedOcr ?? own!;
  return new Promise<{ ok: true; result: BudgetedResult } | { ok: false; error: string }>((resolve) => {
    const worker = new Worker(new URL('./document-worker.js', import.meta.url), {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
    });
    ocr.serve(worker);
    let settled = false;
    const finish = (r: { ok: true; result: BudgetedResult } | { ok: false; error: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, error: `time budget: not done after ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    worker.on('message', (m: DocumentReply | { ocrCall: number }) => {
      if ('ocrCall' in m) return;
      if ('progress' in m) opts.onPage?.(m.progress);
      else finish(m);
    });
    worker.on('error', (err: Error & { code?: string }) =>
      finish({ ok: false, error: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `memory budget: over ${maxHeapMb} MiB of heap` : `extraction failed: ${err.message}` }),
    );
    worker.on('exit', (code) => finish({ ok: false, error: `extraction worker exited with code ${code}` }));
  }).finally(() => own?.close());
}
