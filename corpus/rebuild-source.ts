import type { Db } from './db.js';
import type { Doc } from '../pipeline/doc.js';
import { countSnapshotFiles, inSnapshotSql, snapshotArgs, type RawSnapshot } from './raw-snapshot.js';

/** How many files a rebuild of `snapshot` will see (without one: the current files). */
export function countCurrentFiles(db: Db, snapshot: RawSnapshot | null = null): number {
  return countSnapshotFiles(db, snapshot);
}

/**
 * Keys the rebuild stream can be sorted by, best copy first. The keep rule
 * (dedup/keep-rule.ts) decides which and in what order; the store only knows
 * how each is written in SQL, so the order has one definition.
 */
export type SourceOrderKey = 'stars' | 'forks' | 'original' | 'newest' | 'repo' | 'path';

const ORDER_SQL: Readonly<Record<SourceOrderKey, string>> = {
  stars: 'r.stars DESC NULLS LAST',
  forks: 'r.forks DESC NULLS LAST',
  original: '(r.fork_parent IS NOT NULL)',
  newest: 'r.revision_time DESC NULLS LAST',
  repo: 'r.name',
  path: 'f.path',
};

export interface RebuildSourceOptions {
  /** The raw snapshot to read (corpus/raw-snapshot.ts); without one, the current files. */
  snapshot?: RawSnapshot | null;
  /** The generation whose pinned repository facts (generation_repos) to rank by; without one, the live repos rows. */
  genId?: number;
  /** Sort keys, best copy first (the keep rule's STREAM_ORDER); file id breaks any tie left. */
  order: readonly SourceOrderKey[];
}

/**
 * Streams every file of the snapshot with its compressed content, in the
 * given keep order, so that the copy a first-seen-wins dedup keeps is the best
 * one. Use a dedicated read connection: the statement stays open.
 */
export async function* iterateFilesForRebuild(reader: Db, opts: RebuildSourceOptions): AsyncGenerator<Doc> {
  const repos = opts.genId !== undefined ? 'generation_repos r ON r.gen_id = ? AND r.repo_id = f.repo_id' : 'repos r ON r.id = f.repo_id';
  const orderBy = [...opts.order.map((k) => ORDER_SQL[k]), 'f.id'].join(', ');
  const stmt = reader.prepare(`
    SELECT f.id AS fileId, f.doc_id AS id, s.kind AS source, r.name AS repo, f.path, f.size, f.sha256,
           f.status AS crawlStatus, f.reason AS crawlReason, b.codec, b.data,
           r.stars, r.forks, r.fork_parent AS forkParent, r.revision_time AS revisionTime, r.license_claim AS licenseClaim
    FROM files f
    JOIN ${repos}
    JOIN sources s ON s.id = r.source_id
    LEFT JOIN blobs b ON b.sha256 = f.sha256
    WHERE ${inSnapshotSql('f', opts.snapshot)}
    ORDER BY ${orderBy}`);
  const args = [...(opts.genId !== undefined ? [opts.genId] : []), ...snapshotArgs(opts.snapshot)];
  for (const row of stmt.iterate(...args) as Iterable<RebuildRow>) {
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
