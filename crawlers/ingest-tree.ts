import type { Db } from '../corpus/db.js';
import {
  beginCrawl,
  createRepoSnapshotWriter,
  finishCrawl,
  upsertRepo,
  type CrawlCounts,
  type RepoInput,
  type SourceInput,
} from '../corpus/raw-store.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { readRawFile } from './read-raw-file.js';
import { walkDir } from './walk-dir.js';

/** Files larger than this are recorded without content. @default 8 MiB */
export const DEFAULT_CRAWL_MAX_BYTES = 8 * 1024 * 1024;

export interface IngestTreeOptions {
  source: SourceInput;
  repo: RepoInput;
  /** The directory holding the repository's files. */
  root: string;
  /** Crawl cap in bytes; rebuild applies its own, stricter size rule. @default DEFAULT_CRAWL_MAX_BYTES */
  maxBytes?: number;
  progress?: Progress;
}

export interface IngestResult {
  repo: string;
  crawlId: number;
  counts: CrawlCounts;
}

/**
 * The shared tail of every tree-shaped crawler: walk, classify, and write one
 * repository snapshot to the raw store with provenance. Crawlers only say where
 * the tree is and what it is.
 */
export function ingestTree(db: Db, opts: IngestTreeOptions): IngestResult {
  const progress = opts.progress ?? silentProgress;
  const { sourceId, crawlId } = beginCrawl(db, opts.source);
  const repoId = upsertRepo(db, sourceId, opts.repo);
  const writer = createRepoSnapshotWriter(db, crawlId, repoId, opts.repo.name);
  const maxBytes = opts.maxBytes ?? DEFAULT_CRAWL_MAX_BYTES;
  try {
    for (const entry of walkDir(opts.root)) {
      writer.add(readRawFile(entry, maxBytes));
      progress.tick(1, entry.relPath);
    }
    const counts = writer.finish();
    finishCrawl(db, crawlId, 'complete', counts);
    return { repo: opts.repo.name, crawlId, counts };
  } catch (err) {
    finishCrawl(db, crawlId, 'failed', { seen: 0, added: 0, changed: 0, unchanged: 0, removed: 0, byStatus: {} });
    throw err;
  } finally {
    progress.done();
  }
}
