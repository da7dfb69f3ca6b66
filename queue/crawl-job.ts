import { performance } from 'node:perf_hooks';
import { openCorpus, type Db } from '../corpus/db.js';
import { beginCrawl, createRepoSnapshotWriter, finishCrawl, upsertRepo } from '../corpus/raw-store.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { crawlGit } from '../crawlers/crawl-git.js';
import type { IngestResult } from '../crawlers/ingest-tree.js';
import { makeSelfContained, readCrawlShard } from './crawl-shard-store.js';
import { makeJobId } from './job-id.js';
import type { CrawlJobData, JobSummary } from './job-types.js';
import type { JobStore } from './store-dir.js';

export const CRAWL_KIND = 'crawl';

/** The job id of one crawl: its source, target and options (not the store: moving the store keeps ids). */
export function crawlJobId(d: CrawlJobData): string {
  return makeJobId(CRAWL_KIND, [d.source, d.target, d.repo ?? null, d.ref ?? null, d.maxBytes]);
}

/** Worker side: crawls one repository into a fresh shard corpus, published only when complete. */
export function runCrawlJob(d: CrawlJobData, store: JobStore, id: string): JobSummary {
  const started = performance.now();
  const temp = store.tempPath(CRAWL_KIND, id);
  const shard = openCorpus(temp);
  let r: IngestResult;
  try {
    r = d.source === 'dir'
      ? crawlDir(shard, { path: d.target, maxBytes: d.maxBytes, ...(d.repo ? { repo: d.repo } : {}) })
      : crawlGit(shard, { url: d.target, maxBytes: d.maxBytes, ...(d.repo ? { repo: d.repo } : {}), ...(d.ref ? { ref: d.ref } : {}) });
    makeSelfContained(shard);
  } finally {
    shard.close();
  }
  const summary: JobSummary = { id, kind: 'crawl', items: r.counts.seen, ms: Math.round(performance.now() - started) };
  store.publish(CRAWL_KIND, id, temp, summary);
  return summary;
}

/**
 * Coordinator side: replays one shard into the corpus through the same
 * snapshot writer an in-process crawl uses, so ids, blobs, retirements and
 * counters are what `crawl dir`/`crawl git` would have written. Called in
 * input order, never completion order.
 */
export function mergeCrawlShard(db: Db, shardPath: string): IngestResult {
  const shard = openCorpus(shardPath, { readonly: true });
  try {
    const { source, repo, files } = readCrawlShard(shard);
    const { sourceId, crawlId } = beginCrawl(db, source);
    const repoId = upsertRepo(db, sourceId, repo);
    const writer = createRepoSnapshotWriter(db, crawlId, repoId, repo.name);
    for (const f of files) writer.add(f);
    const counts = writer.finish();
    finishCrawl(db, crawlId, 'complete', counts);
    return { repo: repo.name, crawlId, counts };
  } finally {
    shard.close();
  }
}
