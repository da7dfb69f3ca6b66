import { withCorpus } from '../with-corpus.js';
import type { Db } from '../../corpus/db.js';
import type { IngestResult } from '../../crawlers/ingest-tree.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { crawlGit } from '../../crawlers/crawl-git.js';
import { createTerminalProgress } from '../progress.js';
import { resolveDbPath } from '../../corpus/db.js';
import { UsageError } from '../../pipeline/errors.js';
import { resolveQueue, type QueueFlags } from '../queue-options.js';
import type { CrawlTarget } from '../../queue/queued-crawl.js';

interface CrawlOpts extends QueueFlags {
  db?: string;
  repo?: string;
  ref?: string;
  maxFileSize: number;
}

export async function crawlDirCommand(paths: string[], opts: CrawlOpts): Promise<void> {
  const targets = paths.map((path): CrawlTarget => ({ source: 'dir', target: path, maxBytes: opts.maxFileSize, ...(opts.repo ? { repo: opts.repo } : {}) }));
  await crawlAll(targets, opts, (db, t) => crawlDir(db, { path: t.target, ...(t.repo ? { repo: t.repo } : {}), maxBytes: t.maxBytes, progress: createTerminalProgress('crawl') }));
}

export async function crawlGitCommand(urls: string[], opts: CrawlOpts): Promise<void> {
  const targets = urls.map((url): CrawlTarget => ({ source: 'git', target: url, maxBytes: opts.maxFileSize, ...(opts.repo ? { repo: opts.repo } : {}), ...(opts.ref ? { ref: opts.ref } : {}) }));
  await crawlAll(targets, opts, (db, t) =>
    crawlGit(db, { url: t.target, ...(t.ref ? { ref: t.ref } : {}), ...(t.repo ? { repo: t.repo } : {}), maxBytes: t.maxBytes, progress: createTerminalProgress('crawl') }));
}

/** In input order, in-process or (--queue) as one job per repository merged in the same order. */
async function crawlAll(targets: CrawlTarget[], opts: CrawlOpts, crawlOne: (db: Db, t: CrawlTarget) => IngestResult): Promise<void> {
  if (opts.repo && targets.length > 1) throw new UsageError('--repo names one repository: give one path or URL with it');
  const queue = resolveQueue(opts);
  if (queue) {
    const { queuedCrawl } = await import('../../queue/queued-crawl.js');
    for (const r of await queuedCrawl(resolveDbPath(opts.db), targets, { ...queue, progress: createTerminalProgress('crawl jobs') })) printCrawl(r);
    return;
  }
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    for (const t of targets) printCrawl(crawlOne(db, t));
  });
}

function printCrawl(r: IngestResult): void {
  const c = r.counts;
  const statuses = Object.entries(c.byStatus)
    .sort(([a], [b]) => (a === 'ok' ? -1 : b === 'ok' ? 1 : a.localeCompare(b)))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  process.stdout.write(
    `crawled ${r.repo}: ${c.seen} files (${statuses}); ${c.added} added, ${c.changed} changed, ${c.unchanged} unchanged, ${c.removed} removed\n`,
  );
}
