import { decompressBlob } from './blobs.js';
import type { Db } from './db.js';
import { inSnapshotSql, snapshotArgs, type RawSnapshot } from './raw-snapshot.js';

/** A current repository's license claim and the text of its candidate license/manifest files. */
export interface RepoLicenseSources {
  repo: string;
  /** What the hosting API said (GitHub's `license.spdx_id`); null for local crawls. */
  licenseClaim: string | null;
  files: Array<{ path: string; text: string }>;
}

/** Candidate files above this size are not license texts or manifests (the GPL-3.0 text is ~35 KB). */
const MAX_CANDIDATE_BYTES = 256 * 1024;

/**
 * Every repository with files in the snapshot (or current files), with the files `isCandidate` accepts
 * (license files and manifests at any depth). The SQL narrows by name
 * (case-insensitive LIKE on license/copying/manifest names); the callback
 * decides exactly. Runs once when the license stage starts, because the
 * rebuild streams documents in keep-rule order, not grouped by repository.
 */
export function listRepoLicenseSources(
  db: Db,
  isCandidate: (path: string) => boolean,
  pinned: { snapshot?: RawSnapshot | undefined; genId?: number } = {},
): Map<string, RepoLicenseSources> {
  const out = new Map<string, RepoLicenseSources>();
  const inSnap = inSnapshotSql('f', pinned.snapshot);
  const args = snapshotArgs(pinned.snapshot);
  // The claims as the rebuild pinned them (generation_repos), when it did.
  const claims = pinned.genId !== undefined && pinned.snapshot ? 'SELECT repo_id AS id, name, license_claim FROM generation_repos WHERE gen_id = ?' : 'SELECT id, name, license_claim FROM repos';
  const claimArgs = pinned.genId !== undefined && pinned.snapshot ? [pinned.genId] : [];
  const repos = db
    .prepare(`SELECT r.name, r.license_claim AS claim FROM (${claims}) r WHERE r.id IN (SELECT DISTINCT f.repo_id FROM files f WHERE ${inSnap})`)
    .all(...claimArgs, ...args) as Array<{ name: string; claim: string | null }>;
  for (const r of repos) out.set(r.name, { repo: r.name, licenseClaim: r.claim, files: [] });
  const rows = db
    .prepare(
      `SELECT r.name AS repo, f.path, b.codec, b.data
       FROM files f JOIN repos r ON r.id = f.repo_id JOIN blobs b ON b.sha256 = f.sha256
       WHERE ${inSnap} AND f.status = 'ok' AND f.size <= ?
         AND (f.path LIKE '%licen%' OR f.path LIKE '%copying%' OR f.path LIKE '%package.json' OR f.path LIKE '%.toml'
              OR f.path LIKE '%setup.cfg' OR f.path LIKE '%setup.py' OR f.path LIKE '%.core' OR f.path LIKE '%library.properties')
       ORDER BY r.name, f.path`,
    )
    .iterate(...args, MAX_CANDIDATE_BYTES) as Iterable<{ repo: string; path: string; codec: string; data: Buffer }>;
  for (const row of rows) {
    if (!isCandidate(row.path)) continue;
    out.get(row.repo)?.files.push({ path: row.path, text: decompressBlob(row.codec, row.data).toString('utf8') });
  }
  return out;
}
