import { withCorpus } from '../with-corpus.js';
import type { IngestResult } from '../../crawlers/ingest-tree.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { crawlGit } from '../../crawlers/crawl-git.js';
import { createTerminalProgress } from '../progress.js';

interface CrawlOpts {
  db?: string;
  repo?: string;
  ref?: string;
  maxFileSize: number;
}

export async function crawlDirCommand(path: string, opts: CrawlOpts): Promise<void> {
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    printCrawl(crawlDir(db, { path, ...(opts.repo ? { repo: opts.repo } : {}), maxBytes: opts.maxFileSize, progress: createTerminalProgress('crawl') }));
  });
}

export async function crawlGitCommand(url: string, opts: CrawlOpts): Promise<void> {
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    printCrawl(
      crawlGit(db, {
        url,
        ...(opts.ref ? { ref: opts.ref } : {}),
        ...(opts.repo ? { repo: opts.repo } : {}),
        maxBytes: opts.maxFileSize,
        progress: createTerminalProgress('crawl'),
      }),
    );
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
