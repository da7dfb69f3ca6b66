import { openCorpus, resolveDbPath } from '../../corpus/db.js';
import { InputError } from '../../corpus/errors.js';
import { crawlPdf } from '../../crawlers/pdf/crawl-pdf.js';
import type { LiteratureOutcome } from '../../crawlers/store-snippets.js';
import { createTerminalProgress } from '../progress.js';

interface PdfOpts {
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
  const db = openCorpus(resolveDbPath(opts.db));
  try {
    const results = await crawlPdf(db, {
      target,
      maxPages: opts.maxPages,
      ocr: opts.ocr,
      ...(opts.ocrWorkers ? { ocrWorkers: opts.ocrWorkers } : {}),
      dpi: opts.dpi,
      timeoutMs: opts.timeout * 1000,
      maxHeapMb: opts.maxHeap,
      maxFileBytes: opts.maxFileSize,
      progress: createTerminalProgress('crawl pdf'),
    });
    printOutcomes(results, opts.json ?? false);
    if (results.length > 0 && results.every((r) => r.status === 'failed')) throw new InputError(`every document failed (reasons above; recorded in the corpus)`);
  } finally {
    db.close();
  }
}

/** One line per document (shared with `crawl web`). */
export function printOutcomes(results: readonly LiteratureOutcome[], json: boolean): void {
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
