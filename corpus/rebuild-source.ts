import type { Db } from './db.js';
import type { Doc } from '../pipeline/doc.js';

/** How many current files a rebuild will see. */
export function countCurrentFiles(db: Db): number {
  return db.prepare('SELECT count(*) FROM files WHERE current = 1').pluck().get() as number;
}

/**
 * Streams every current file with its compressed content, in keep-rule order:
 * the copy a first-seen-wins dedup keeps is the best one (bigcode's rule minus
 * licenses, which are not detected yet): most stars, most forks, originals
 * before forks, newest revision, then repository name and path as a stable
 * tiebreak. Use a dedicated read connection: the statement stays open.
 */
export async function* iterateFilesForRebuild(reader: Db): AsyncGenerator<Doc> {
  const stmt = reader.prepare(`
    SELECT f.id AS fileId, f.doc_id AS id, s.kind AS source, r.name AS repo, f.path, f.size, f.sha256,
           f.status AS crawlStatus, f.reason AS crawlReason, b.codec, b.data,
           r.stars, r.forks, r.fork_parent AS forkParent, r.revision_time AS revisionTime, r.license_claim AS licenseClaim
    FROM files f
    JOIN repos r ON r.id = f.repo_id
    JOIN sources s ON s.id = r.source_id
    LEFT JOIN blobs b ON b.sha256 = f.sha256
    WHERE f.current = 1
    ORDER BY r.stars DESC NULLS LAST, r.forks DESC NULLS LAST, (r.fork_parent IS NOT NULL),
             r.revision_time DESC NULLS LAST, r.name, f.path`);
  for (const row of stmt.iterate() as Iterable<RebuildRow>) {
    yield {
      fileId: row.fileId,
      id: row.id,
      source: row.source,
      repo: row.repo,
      path: row.path,
      size: row.size,
      sha256: row.sha256,
      crawlStatus: row.crawlStatus,
      crawlReason: row.crawlReason,
      blob: row.codec && row.data ? { codec: row.codec, data: row.data } : null,
      text: null,
      lang: 'unknown',
      domain: 'general',
      domainEvidence: null,
      features: null,
      repoInfo: { stars: row.stars, forks: row.forks, forkParent: row.forkParent, revisionTime: row.revisionTime, licenseClaim: row.licenseClaim },
      license: null,
      modifiedBy: [],
      annotations: {},
    };
  }
}

/** One joined row: the Doc's provenance columns, its blob, and the repository facts. */
type RebuildRow = Pick<Doc, 'fileId' | 'id' | 'source' | 'repo' | 'path' | 'size' | 'sha256' | 'crawlStatus' | 'crawlReason'> &
  Doc['repoInfo'] & { codec: string | null; data: Buffer | null };
