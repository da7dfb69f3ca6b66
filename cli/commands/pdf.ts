import { withCorpus } from '../with-corpus.js';
import { InputError } from '../../pipeline/errors.js';
import { crawlPdf } from '../../crawlers/pdf/crawl-pdf.js';
import type { LiteratureOutcome } from '../../crawlers/store-snippets.js';
import { createTerminalProgress } from '../progress.js';
import { resolveDbPath } from '../../corpus/db.js';
import { resolveQueue, type QueueFlags } from '../queue-options.js';

interface PdfOpts extends QueueFlags {
  db?: string;
  maxPages: number;
  ocr: 'auto' | 'off';
  ocrWorkers?: number;
  dpi: number;
  timeout: number;
  maxHeap: number;
  maxFileSize: number;
  json?: boolean;
}

/** `incorpus crawl pdf <file|dir|URL>`; exit 1 only when every document failed. */
export async function crawlPdfCommand(target: string, opts: PdfOpts): Promise<void> {
  const options = {
    target,
    maxPages: opts.maxPages,
    ocr: opts.ocr,
    ...(opts.ocrWorkers ? { ocrWorkers: opts.ocrWorkers } : {}),
    dpi: opts.dpi,
    timeoutMs: opts.timeout * 1000,
    maxHeapMb: opts.maxHeap,
    maxFileBytes: opts.maxFileSize,
  };
  const queue = resolveQueue(opts);
  if (queue) {
    const { queuedCrawlPdf } = await import('../../queue/queued-literature.js');
    reportOutcomes(await queuedCrawlPdf(resolveDbPath(opts.db), options, { ...queue, progress: createTerminalProgress('crawl pdf jobs') }), opts.json ?? false, 'document');
    return;
  }
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    const results = await crawlPdf(db, { ...options, progress: createTerminalProgress('crawl pdf') });
    reportOutcomes(results, opts.json ?? false, 'document');
  });
}

/** Prints the outcomes (shared with `crawl web`); a failure (exit 1) only when every one failed. */
export function reportOutcomes(results: readonly LiteratureOutcome[], json: boolean, noun: 'document' | 'page'): void {
  printOutcomes(results, json);
  if (results.length > 0 && results.every((r) => r.status === 'failed')) {
    throw new InputError(`every ${noun} failed (reasons above; recorded in the corpus)`);
  }
}

/** One line per document. */
function printOutcomes(results: readonly LiteratureOutcome[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    return;
  }
  for (const r of results) {
    const pages = r.kind === 'pdf' && r.status !== 'failed' ? ` (${r.pagesText} text-layer pages, ${r.pagesOcr} OCR pages)` : '';
    const head = r.status === 'failed' ? `FAILED ${r.uri}: ${r.reason}` : `crawled ${r.repo}: ${r.snippets} snippets${pages}`;
    const counts = r.counts ? `; ${r.counts.added} added, ${r.counts.changed} changed, ${r.counts.unchanged} unchanged, ${r.counts.removed} removed` : '';
    const partial = r.status === 'partial' ? ` — partial: ${r.reason}` : '';
    process.stdout.write(`${head}${counts}${partial}\n`);
  }
}
