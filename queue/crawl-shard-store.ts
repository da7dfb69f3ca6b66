import type { Db } from '../corpus/db.js';
import { readBlob } from '../corpus/blobs.js';
import type { RawFileInput, RepoInput, SourceInput } from '../corpus/raw-store.js';

/** What one crawl job wrote into its shard: the source, the repository's provenance and its files in crawl order. */
export interface CrawlShard {
  source: SourceInput;
  repo: RepoInput;
  files: Iterable<RawFileInput>;
}

/**
 * Reads a crawl shard (a corpus of one fresh crawl). Files come back in id
 * order — the order the crawler walked them — so replaying them into the
 * corpus assigns the same ids an in-process crawl would.
 */
export function readCrawlShard(shard: Db): CrawlShard {
  const src = shard.prepare('SELECT kind, uri, ref FROM sources ORDER BY id LIMIT 1').get() as { kind: SourceInput['kind']; uri: string; ref: string } | undefined;
  const repo = shard.prepare(
    `SELECT id, name, url, commit_sha AS commitSha, revision_time AS revisionTime, stars, forks, fork_parent AS forkParent, license_claim AS licenseClaim
     FROM repos ORDER BY id LIMIT 1`,
  ).get() as (RepoInput & { id: number }) | undefined;
  if (!src || !repo) throw new Error('crawl shard holds no repository');
  const { id: repoId, ...repoInput } = repo;
  const rows = shard.prepare('SELECT path, size, sha256, status, reason FROM files WHERE repo_id = ? AND current = 1 ORDER BY id');
  function* files(): Generator<RawFileInput> {
    for (const r of rows.iterate(repoId) as Iterable<{ path: string; size: number; sha256: string | null; status: RawFileInput['status']; reason: string | null }>) {
      const content = r.sha256 ? readBlob(shard, r.sha256) : null;
      yield { path: r.path, size: r.size, status: r.status, reason: r.reason, ...(content ? { content } : {}) };
    }
  }
  return { source: { kind: src.kind, uri: src.uri, ...(src.ref ? { ref: src.ref } : {}) }, repo: repoInput, files: files() };
}

/** Leaves a shard as one self-contained file (rollback journal, no -wal beside it): what a shared filesystem or an object store should hold. */
export function makeSelfContained(shard: Db): void {
  shard.pragma('journal_mode = DELETE');
}
