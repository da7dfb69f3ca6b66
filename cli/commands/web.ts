import { withCorpus } from '../with-corpus.js';
import { crawlWeb } from '../../crawlers/web/crawl-web.js';
import { createTerminalProgress } from '../progress.js';
import { reportOutcomes } from './pdf.js';

interface WebOpts {
  db?: string;
  urls?: string;
  sitemap?: string;
  delay: number;
  maxPages: number;
  timeout: number;
  maxPageSize: number;
  userAgent: string;
  json?: boolean;
}

/** `incorpus crawl web --urls <file> | --sitemap <url>`; exit 1 only when every page failed. */
export async function crawlWebCommand(opts: WebOpts): Promise<void> {
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    const results = await crawlWeb(db, {
      ...(opts.urls ? { urlsFile: opts.urls } : {}),
      ...(opts.sitemap ? { sitemap: opts.sitemap } : {}),
      delayMs: opts.delay,
      maxPages: opts.maxPages,
      timeoutMs: opts.timeout * 1000,
      maxPageBytes: opts.maxPageSize,
      userAgent: opts.userAgent,
      progress: createTerminalProgress('crawl web'),
    });
    reportOutcomes(results, opts.json ?? false, 'page');
  });
}
