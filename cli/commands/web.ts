import { openCorpus, resolveDbPath } from '../../corpus/db.js';
import { InputError } from '../../corpus/errors.js';
import { crawlWeb } from '../../crawlers/web/crawl-web.js';
import { createTerminalProgress } from '../progress.js';
import { printOutcomes } from './pdf.js';

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
  const db = openCorpus(resolveDbPath(opts.db));
  try {
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
    printOutcomes(results, opts.json ?? false);
    if (results.length > 0 && results.every((r) => r.status === 'failed')) throw new InputError(`every page failed (reasons above; recorded in the corpus)`);
  } finally {
    db.close();
  }
}
