import type { Db } from './db.js';
import type { Doc } from '../pipeline/doc.js';
import { countSnapshotFiles, inSnapshotSql, snapshotArgs, type RawSnapshot } from './raw-snapshot.js';

/** How many files a rebuild of `snapshot` will see (without one: the current files). */
export function countCurrentFiles(db: Db, snapshot: RawSnapshot | null = null): number {
  return countSnapshotFiles(db, snapshot);
}

/** Files read per query: each page is one index range scan, and no statement stays open between pages. */
const PAGE = 1000;

/**
 * Keys the rebuild stream can be sorted by, best copy first. The keep rule
 * (dedup/keep-rule.ts) decides which and in what order; the store only knows
 * how each is written in SQL, so the order has one definition. Every key but
 * `path` is a repository fact; `path` orders files within a repository.
 */
export type SourceOrderKey = 'stars' | 'forks' | 'original' | 'newest' | 'repo' | 'path';

const REPO_ORDER_SQL: Readonly<Record<Exclude<SourceOrderKey, 'path'>, string>> = {
  stars: 'r.stars DESC NULLS LAST',
  forks: 'r.forks DESC NULLS LAST',
  original: '(r.fork_parent IS NOT NULL)',
  newest: 'r.revision_time DESC NULLS LAST',
  repo: 'r.name',
};

export interface RebuildSourceOptions {
  /** The raw snapshot to read (corpus/raw-snapshot.ts); without one, the current files. */
  snapshot?: RawSnapshot | null;
  /** The generation whose pinned repository facts (generation_repos) to rank by; without one, the live repos rows. */
  genId?: number;
  /**
   * Sort keys, best copy first (the keep rule's STREAM_ORDER). Repository keys
   * come first and `path`, when given, last: files of one repository are read
   * together. Repository id, then file id, break any tie left.
   */
  order: readonly SourceOrderKey[];
}

/**
 * Streams every file of the snapshot, in the given keep order, so that the
 * copy a first-seen-wins dedup keeps is the best one.
 *
 * Shape for scale: only the repositories are sorted (few, small rows); each
 * repository's files come from the (repo_id, path, id) index a page at a time,
 * so SQLite never sorts file rows and no blob passes through a sorter or the
 * heap. The snapshot condition is stable under concurrent crawls (rows are only
 * appended, and a retirement after the pin stamps a later tick), so paging needs
 * no long read transaction. Documents carry no content: `textSha256` names the
 * blob, which a worker decodes when a stage needs the text (ctx.loadBlob).
 */
export async function* iterateFilesForRebuild(reader: Db, opts: RebuildSourceOptions): AsyncGenerator<Doc> {
  const pathAt = opts.order.indexOf('path');
  if (pathAt !== -1 && pathAt !== opts.order.length - 1) throw new Error('rebuild order: `path` must be the last key (files are read per repository)');
  const repoKeys = opts.order.filter((k): k is Exclude<SourceOrderKey, 'path'> => k !== 'path');
  const inSnap = inSnapshotSql('f', opts.snapshot);
  const snapArgs = snapshotArgs(opts.snapshot);
  const pinned = opts.genId !== undefined;
  const repoTable = pinned
    ? `(SELECT repo_id AS id, name, source_id, stars, forks, fork_parent, revision_time, license_claim FROM generation_repos WHERE gen_id = ?)`
    : 'repos';
  const repos = reader
    .prepare(
      `SELECT r.id, r.name AS repo, s.kind AS source, r.stars, r.forks, r.fork_parent AS forkParent,
              r.revision_time AS revisionTime, r.license_claim AS licenseClaim
       FROM ${repoTable} r JOIN sources s ON s.id = r.source_id
       WHERE EXISTS (SELECT 1 FROM files f WHERE f.repo_id = r.id AND ${inSnap})
       ORDER BY ${[...repoKeys.map((k) => REPO_ORDER_SQL[k]), 'r.id'].join(', ')}`,
    )
    .all(...(pinned ? [opts.genId] : []), ...snapArgs) as RepoRow[];
  const page = reader.prepare(
    `SELECT f.id AS fileId, f.doc_id AS id, f.path, f.size, f.sha256, f.status AS crawlStatus, f.reason AS crawlReason
     FROM files f INDEXED BY files_repo_path
     WHERE f.repo_id = ? AND (f.path > ? OR (f.path = ? AND f.id > ?)) AND ${inSnap}
     ORDER BY f.path, f.id LIMIT ${PAGE}`,
  );
  for (const r of repos) {
    const repoInfo = { stars: r.stars, forks: r.forks, forkParent: r.forkParent, revisionTime: r.revisionTime, licenseClaim: r.licenseClaim };
    for (let lastPath = '', lastId = 0; ; ) {
      const rows = page.all(r.id, lastPath, lastPath, lastId, ...snapArgs) as FileRow[];
      for (const row of rows) yield toDoc(row, r, repoInfo);
      if (rows.length < PAGE) break;
      lastPath = rows[rows.length - 1]!.path;
      lastId = rows[rows.length - 1]!.fileId;
    }
  }
}

function toDoc(row: FileRow, r: RepoRow, repoInfo: Doc['repoInfo']): Doc {
  return {
    ...row,
    source: r.source,
    repo: r.repo,
    blob: null,
    text: null,
    textSha256: row.crawlStatus === 'ok' ? row.sha256 : null,
    lang: 'unknown',
    domain: 'general',
    domainEvidence: null,
    features: null,
    repoInfo: { ...repoInfo },
    license: null,
    modifiedBy: [],
    annotations: {},
  };
}

type RepoRow = { id: number; repo: string; source: string } & Doc['repoInfo'];
type FileRow = Pick<Doc, 'fileId' | 'id' | 'path' | 'size' | 'sha256' | 'crawlStatus' | 'crawlReason'>;
