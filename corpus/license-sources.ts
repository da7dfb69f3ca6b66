import type { Db } from './db.js';

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
 * and manifests at any depth). The SQL narrows by name (case-insensitive LIKE
 * on license/copying/manifest names) within the repository's current files
 * (the files_current_path index); the callback decides exactly. Read per
 * repository when the license stage first meets it — the rebuild streams
 * repositories one after another — so memory holds a few repositories' lists,
 * never the corpus's; texts are fetched by hash only when not memoized.
 */
export function listRepoLicenseSources(db: Db, repo: string, isCandidate: (path: string) => boolean): RepoLicenseSources {
  const r = db.prepare('SELECT id, license_claim AS claim FROM repos WHERE name = ?').get(repo) as { id: number; claim: string | null } | undefined;
  if (!r) return { repo, licenseClaim: null, files: [] };
  const rows = db
    .prepare(
      `SELECT f.path, f.sha256 FROM files f
       WHERE f.repo_id = ? AND f.current = 1 AND f.status = 'ok' AND f.sha256 IS NOT NULL AND f.size <= ?
         AND (f.path LIKE '%licen%' OR f.path LIKE '%copying%' OR f.path LIKE '%package.json' OR f.path LIKE '%.toml'
              OR f.path LIKE '%setup.cfg' OR f.path LIKE '%setup.py' OR f.path LIKE '%.core' OR f.path LIKE '%library.properties')
       ORDER BY f.path`,
    )
    .all(r.id, MAX_CANDIDATE_BYTES) as Array<{ path: string; sha256: string }>;
  return { repo, licenseClaim: r.claim, files: rows.filter((f) => isCandidate(f.path)) };
}
