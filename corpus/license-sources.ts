import type { Db } from './db.js';
import { inSnapshotSql, snapshotArgs, type RawSnapshot } from './raw-snapshot.js';

/** A current repository's license claim and its candidate license/manifest files (by hash: the text is read on demand). */
export interface RepoLicenseSources {
  repo: string;
  /** What the hosting API said (GitHub's `license.spdx_id`); null for local crawls. */
  licenseClaim: string | null;
  files: Array<{ path: string; sha256: string }>;
}

/** Candidate files above this size are not license texts or manifests (the GPL-3.0 text is ~35 KB). */
const MAX_CANDIDATE_BYTES = 256 * 1024;

/**
 * One repository's claim and the files `isCandidate` accepts (license files
 * and manifests at any depth), within the rebuild's snapshot (or the current
 * files), with the claim as the rebuild pinned it (generation_repos) when it
 * did. The SQL narrows by name (case-insensitive LIKE on license/copying/
 * manifest names) within the repository's files (the files_repo_path index);
 * the callback decides exactly. Read per repository when the license stage
 * first meets it — the rebuild streams repositories one after another — so
 * memory holds a few repositories' lists, never the corpus's; texts are
 * fetched by hash only when not memoized.
 */
export function listRepoLicenseSources(
  db: Db,
  repo: string,
  isCandidate: (path: string) => boolean,
  pinned: { snapshot?: RawSnapshot | undefined; genId?: number | undefined } = {},
): RepoLicenseSources {
  const r = db.prepare('SELECT id, license_claim AS claim FROM repos WHERE name = ?').get(repo) as { id: number; claim: string | null } | undefined;
  if (!r) return { repo, licenseClaim: null, files: [] };
  let claim = r.claim;
  if (pinned.genId !== undefined && pinned.snapshot) {
    const g = db.prepare('SELECT license_claim AS claim FROM generation_repos WHERE gen_id = ? AND repo_id = ?').get(pinned.genId, r.id) as { claim: string | null } | undefined;
    if (g) claim = g.claim;
  }
  const rows = db
    .prepare(
      `SELECT f.path, f.sha256 FROM files f
       WHERE f.repo_id = ? AND ${inSnapshotSql('f', pinned.snapshot)} AND f.status = 'ok' AND f.sha256 IS NOT NULL AND f.size <= ?
         AND (f.path LIKE '%licen%' OR f.path LIKE '%copying%' OR f.path LIKE '%package.json' OR f.path LIKE '%.toml'
              OR f.path LIKE '%setup.cfg' OR f.path LIKE '%setup.py' OR f.path LIKE '%.core' OR f.path LIKE '%library.properties')
       ORDER BY f.path`,
    )
    .all(r.id, ...snapshotArgs(pinned.snapshot), MAX_CANDIDATE_BYTES) as Array<{ path: string; sha256: string }>;
  return { repo, licenseClaim: claim, files: rows.filter((f) => isCandidate(f.path)) };
}
