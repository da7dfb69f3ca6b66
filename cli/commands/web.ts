import { withCorpus } from '../with-corpus.js';
import { crawlWeb } from '../../crawlers/web/crawl-web.js';
import { createTerminalProgress } from '../progress.js';
import { reportOutcomes } from './pdf.js';
import { resolveDbPath } from '../../corpus/db.js';
import { resolveQueue, type QueueFlags } from '../queue-options.js';

interface WebOpts extends QueueFlags {
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
  const options = {
    ...(opts.urls ? { urlsFile: opts.urls } : {}),
    ...(opts.sitemap ? { sitemap: opts.sitemap } : {}),
    delayMs: opts.delay,
    maxPages: opts.maxPages,
    timeoutMs: opts.timeout * 1000,
    maxPageBytes: opts.maxPageSize,
    userAgent: opts.userAgent,
  };
  const queue = resolveQueue(opts);
  if (queue) {
    const { queuedCrawlWeb } = await import('../../queue/queued-literature.js');
    reportOutcomes(await queuedCrawlWeb(resolveDbPath(opts.db), options, { ...queue, progress: createTerminalProgress('crawl web jobs') }), opts.json ?? false, 'page');
    return;
  }
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    const results = await crawlWeb(db, { ...options, progress: createTerminalProgress('crawl web') });
    reportOutcomes(results, opts.json ?? false, 'page');
  });
}
