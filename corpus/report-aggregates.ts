import type { Db } from './db.js';
import { FACTS, type ReportFacts } from './report-facts.js';

/**
 * The numbers behind `incorpus report`, grouped in SQL over the facts of one
 * scan (report-facts.ts), never a million rows in JavaScript. Every status,
 * reason, license and kind is the string the stages recorded (group by what is
 * present), so a new verification status or dedup kind shows up without a
 * change here.
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

/** Files and bytes by verdict, stage, reason, language and domain (the funnel and the mix). */
export function getVerdictGroups(f: ReportFacts): VerdictGroup[] {
  return f.db
    .prepare(
      `SELECT verdict, stage, reason, lang, domain, count(*) AS files, sum(size) AS bytes FROM ${FACTS}
       GROUP BY verdict, stage, reason, lang, domain ORDER BY verdict, stage, reason, lang, domain`,
    )
    .all() as VerdictGroup[];
}

/** Kept files by language, domain, license and verification status. */
export function getKeptGroups(f: ReportFacts): KeptGroup[] {
  return f.db
    .prepare(
      `SELECT lang, domain, license, license_status AS licenseStatus, verify, standalone, repository, count(*) AS files, sum(size) AS bytes
       FROM ${FACTS} WHERE verdict = 'keep'
       GROUP BY lang, domain, license, license_status, verify, standalone, repository
       ORDER BY lang, domain, license, license_status, verify, standalone, repository`,
    )
    .all() as KeptGroup[];
}

/** PII redactions of kept files by kind and domain, from the pii stage's `redactions.byType`. */
export function getRedactionGroups(f: ReportFacts): RedactionGroup[] {
  return f.db
    .prepare(
      `SELECT t.key AS kind, x.domain, sum(t.value) AS count, count(*) AS files
       FROM ${FACTS} x, json_each(x.redactions) t
       WHERE x.verdict = 'keep' AND x.redactions IS NOT NULL AND t.value > 0
       GROUP BY kind, x.domain ORDER BY kind, x.domain`,
    )
    .all() as RedactionGroup[];
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
export function getClusterSizes(f: ReportFacts, largest: number): { sizes: ClusterSizeGroup[]; largest: LargestCluster[] } {
  const clusters = `SELECT stage, duplicate_of AS kept, count(*) + 1 AS size, min(duplicate_repo) AS repo, min(duplicate_path) AS path
       FROM ${FACTS} WHERE verdict = 'drop' AND duplicate_of IS NOT NULL GROUP BY stage, duplicate_of`;
  const sizes = f.db
    .prepare(`SELECT stage, size, count(*) AS clusters FROM (${clusters}) GROUP BY stage, size ORDER BY stage, size`)
    .all() as ClusterSizeGroup[];
  const top = f.db
    .prepare(`SELECT stage, size, kept, repo, path FROM (${clusters}) ORDER BY size DESC, stage, kept LIMIT ?`)
    .all(largest) as LargestCluster[];
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
