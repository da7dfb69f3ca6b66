import type { Db } from './db.js';

/**
 * The numbers behind `incorpus report`, grouped in SQL so a 1M-file generation
 * is a few scans of its verdicts, never a million rows in JavaScript. Every
 * status, reason, license and kind is read as the string the stages recorded
 * (group by what is present), so a new verification status or dedup kind shows
 * up without a change here.
 */

/** Dropped files (or kept, stage null) by stage, reason, language and domain. */
export interface VerdictGroup {
  verdict: 'keep' | 'drop';
  stage: string | null;
  reason: string;
  lang: string;
  domain: string;
  files: number;
  bytes: number;
}

/** Kept files grouped by the facts the filters and the verifier put in their details. */
export interface KeptGroup {
  lang: string;
  domain: string;
  /** Decided SPDX expression, or null when none was decided. */
  license: string | null;
  /** License decision status (detected, none, unknown, conflict, …) or 'not-recorded'. */
  licenseStatus: string;
  /** Final verification status, null when no toolchain check applied. */
  verify: string | null;
  /** Status of the file compiled alone, null when not recorded. */
  standalone: string | null;
  /** Status in repository context, null when it was not tried. */
  repository: string | null;
  files: number;
  bytes: number;
}

export interface RedactionGroup {
  kind: string;
  domain: string;
  /** Redactions of this kind. */
  count: number;
  /** Kept files with at least one of them. */
  files: number;
}

/**
 * Verdict groups of a generation: one scan of its verdicts joined to file
 * sizes, no JSON (the drop funnel and the domain × language mix).
 */
export function getVerdictGroups(db: Db, genId: number): VerdictGroup[] {
  return db
    .prepare(
      `SELECT v.verdict, v.stage, v.reason, coalesce(v.lang, 'unknown') AS lang, coalesce(v.domain, 'general') AS domain,
              count(*) AS files, coalesce(sum(f.size), 0) AS bytes
       FROM verdicts v JOIN files f ON f.id = v.file_id
       WHERE v.gen_id = ?
       GROUP BY v.verdict, v.stage, v.reason, lang, domain
       ORDER BY v.verdict, v.stage, v.reason, lang, domain`,
    )
    .all(genId) as VerdictGroup[];
}

/**
 * Kept files by language, domain, license and verification status: one scan
 * of the kept verdicts; SQLite parses each `details` once per row (its JSON
 * parse cache serves the other paths of the same row).
 */
export function getKeptGroups(db: Db, genId: number): KeptGroup[] {
  return db
    .prepare(
      `SELECT lang, domain, license, licenseStatus, verify, standalone, repository, count(*) AS files, coalesce(sum(size), 0) AS bytes
       FROM (SELECT coalesce(v.lang, 'unknown') AS lang, coalesce(v.domain, 'general') AS domain, f.size,
                    coalesce(json_extract(v.details, '$.license'), json_extract(v.details, '$.licenseDecision.spdx')) AS license,
                    coalesce(json_extract(v.details, '$.licenseDecision.status'), 'not-recorded') AS licenseStatus,
                    json_extract(v.details, '$.verification.status') AS verify,
                    json_extract(v.details, '$.verification.standalone.status') AS standalone,
                    json_extract(v.details, '$.verification.repository.status') AS repository
             FROM verdicts v JOIN files f ON f.id = v.file_id
             WHERE v.gen_id = ? AND v.verdict = 'keep')
       GROUP BY lang, domain, license, licenseStatus, verify, standalone, repository
       ORDER BY lang, domain, license, licenseStatus, verify, standalone, repository`,
    )
    .all(genId) as KeptGroup[];
}

/**
 * PII redactions of kept files by kind and domain, from the pii stage's
 * `redactions.byType`. `instr` skips the JSON parse of files without any
 * (most of them) at memchr speed.
 */
export function getRedactionGroups(db: Db, genId: number): RedactionGroup[] {
  return db
    .prepare(
      `SELECT t.key AS kind, coalesce(v.domain, 'general') AS domain, sum(t.value) AS count, count(*) AS files
       FROM verdicts v, json_each(v.details, '$.redactions.byType') t
       WHERE v.gen_id = ? AND v.verdict = 'keep' AND instr(v.details, '"redactions"') > 0 AND t.value > 0
       GROUP BY kind, domain ORDER BY kind, domain`,
    )
    .all(genId) as RedactionGroup[];
}

/** How many duplicate clusters of each size a dropping stage formed. */
export interface ClusterSizeGroup {
  /** The stage whose drops point at a kept copy (exact-dedup, near-dedup, …). */
  stage: string;
  /** Members including the kept copy. */
  size: number;
  clusters: number;
}

export interface LargestCluster {
  stage: string;
  size: number;
  /** Document id, repository and path of the kept copy. */
  kept: string;
  repo: string | null;
  path: string | null;
}

/**
 * Duplicate clusters from the drops that name the copy they duplicate
 * (`details.duplicateOf`): a cluster is a kept copy and every file dropped in
 * its favour, whichever dedup stage recorded it.
 */
export function getClusterSizes(db: Db, genId: number, largest: number): { sizes: ClusterSizeGroup[]; largest: LargestCluster[] } {
  const clusters = `SELECT v.stage, json_extract(v.details, '$.duplicateOf') AS kept, count(*) + 1 AS size,
         min(json_extract(v.details, '$.repo')) AS repo, min(json_extract(v.details, '$.path')) AS path
       FROM verdicts v
       WHERE v.gen_id = ? AND v.verdict = 'drop' AND instr(v.details, '"duplicateOf"') > 0 AND kept IS NOT NULL
       GROUP BY v.stage, kept`;
  const sizes = db
    .prepare(`SELECT stage, size, count(*) AS clusters FROM (${clusters}) GROUP BY stage, size ORDER BY stage, size`)
    .all(genId) as ClusterSizeGroup[];
  const top = db
    .prepare(`SELECT stage, size, kept, repo, path FROM (${clusters}) ORDER BY size DESC, stage, kept LIMIT ?`)
    .all(genId, largest) as LargestCluster[];
  return { sizes, largest: top };
}

export interface ForkFamily {
  canonical: string;
  /** Repositories in the family, the canonical one included. */
  repos: number;
  /** Up to a few member names, canonical first. */
  members: string[];
}

/** The largest repository families (fork graph + content overlap) of a generation. */
export function getForkFamilies(db: Db, genId: number, limit: number, membersShown = 6): { families: number; largest: ForkFamily[] } {
  if (!hasTable(db, 'dup_families')) return { families: 0, largest: [] };
  const families = db.prepare('SELECT count(DISTINCT canonical) FROM dup_families WHERE gen_id = ?').pluck().get(genId) as number;
  const rows = db
    .prepare(
      `SELECT canonical, count(*) AS repos FROM dup_families WHERE gen_id = ?
       GROUP BY canonical ORDER BY repos DESC, canonical LIMIT ?`,
    )
    .all(genId, limit) as Array<{ canonical: string; repos: number }>;
  const members = db.prepare(
    `SELECT repo FROM dup_families WHERE gen_id = ? AND canonical = ? ORDER BY repo <> canonical, repo LIMIT ?`,
  );
  return { families, largest: rows.map((r) => ({ ...r, members: members.pluck().all(genId, r.canonical, membersShown) as string[] })) };
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Size of the raw layer the generation was built from (current file rows). */
export function getRawTotals(db: Db): { repos: number; files: number; bytes: number } {
  const r = db.prepare('SELECT count(DISTINCT repo_id) AS repos, count(*) AS files, coalesce(sum(size), 0) AS bytes FROM files WHERE current = 1').get() as {
    repos: number; files: number; bytes: number;
  };
  return r;
}
