import type { Db } from './db.js';
import type { Doc } from '../pipeline/doc.js';

/** Which file rows a rebuild reads (one place, so a snapshot filter goes here and nowhere else). */
const REBUILD_FILES = 'f.current = 1';

/** How many current files a rebuild will see. */
export function countCurrentFiles(db: Db): number {
  return db.prepare(`SELECT count(*) FROM files f WHERE ${REBUILD_FILES}`).pluck().get() as number;
}

/** Files read per query: each page is one index range scan, and no statement stays open between pages. */
const PAGE = 1000;

/**
 * Streams every current file, in keep-rule order: the copy a first-seen-wins
 * dedup keeps is the best one (bigcode's rule minus licenses, which are not
 * detected yet): most stars, most forks, originals before forks, newest
 * revision, then repository name and path as a stable tiebreak.
 *
 * Shape for scale: only the repositories are sorted (few, small rows); each
 * repository's files come from the (repo_id, path) index of current files, a
 * page at a time, so SQLite never sorts file rows and no blob passes through a
 * sorter or the heap. Documents carry no content: `textSha256` names the blob,
 * which a worker decodes when a stage needs the text (ctx.loadBlob).
 */
export async function* iterateFilesForRebuild(reader: Db): AsyncGenerator<Doc> {
  const repos = reader
    .prepare(
      `SELECT r.id, r.name AS repo, s.kind AS source, r.stars, r.forks, r.fork_parent AS forkParent,
              r.revision_time AS revisionTime, r.license_claim AS licenseClaim
       FROM repos r JOIN sources s ON s.id = r.source_id
       WHERE EXISTS (SELECT 1 FROM files f WHERE f.repo_id = r.id AND ${REBUILD_FILES})
       ORDER BY r.stars DESC NULLS LAST, r.forks DESC NULLS LAST, (r.fork_parent IS NOT NULL),
                r.revision_time DESC NULLS LAST, r.name`,
    )
    .all() as RepoRow[];
  const page = reader.prepare(
    `SELECT f.id AS fileId, f.doc_id AS id, f.path, f.size, f.sha256, f.status AS crawlStatus, f.reason AS crawlReason
     FROM files f WHERE f.repo_id = ? AND ${REBUILD_FILES} AND f.path > ? ORDER BY f.path LIMIT ${PAGE}`,
  );
  for (const r of repos) {
    const repoInfo = { stars: r.stars, forks: r.forks, forkParent: r.forkParent, revisionTime: r.revisionTime, licenseClaim: r.licenseClaim };
    for (let last = ''; ; ) {
      const rows = page.all(r.id, last) as FileRow[];
      for (const row of rows) yield toDoc(row, r, repoInfo);
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]!.path;
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
