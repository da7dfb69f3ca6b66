import type { Db } from './db.js';

/**
 * The one scan behind `incorpus report`. A verdict's details are its largest
 * part (structure annotations, tool logs: ~2.5 kB per file on real code, up to
 * 100 kB), so reading them is what costs: every aggregate and sample of the
 * report is computed from a temporary table of the few small facts the page
 * needs, extracted from each verdict once (SQLite parses a row's JSON once and
 * serves the other paths from its parse cache). Temporary tables live in the
 * connection's own temp database, so this works on a read-only connection and
 * leaves the corpus untouched.
 */
export const FACTS = 'temp.report_facts';

export interface ReportFacts {
  db: Db;
  genId: number;
  /** Verdicts read. */
  rows: number;
  /** Drops the temporary table. */
  close(): void;
}

/**
 * Reads the generation's verdicts once into `temp.report_facts`. Statuses,
 * reasons, licenses and kinds are kept as the strings the stages recorded, so
 * a new verification status or dedup stage shows up without a change here.
 */
export function collectReportFacts(db: Db, genId: number): ReportFacts {
  db.exec(`DROP TABLE IF EXISTS ${FACTS}`);
  // Literature provenance rides along (a primary-key lookup per row), so the snippet counts need no second pass.
  const literature = hasLiterature(db);
  db.prepare(
    `CREATE TABLE ${FACTS} AS
     SELECT v.file_id, f.doc_id, v.verdict, v.stage, v.reason, coalesce(v.lang, 'unknown') AS lang, coalesce(v.domain, 'general') AS domain,
            coalesce(f.size, 0) AS size,
            coalesce(v.details ->> '$.license', v.details ->> '$.licenseDecision.spdx') AS license,
            coalesce(v.details ->> '$.licenseDecision.status', 'not-recorded') AS license_status,
            v.details ->> '$.verification.status' AS verify,
            v.details ->> '$.verification.standalone.status' AS standalone,
            v.details ->> '$.verification.repository.status' AS repository,
            v.details -> '$.redactions.byType' AS redactions,
            v.details ->> '$.duplicateOf' AS duplicate_of,
            v.details ->> '$.repo' AS duplicate_repo,
            v.details ->> '$.path' AS duplicate_path,
            ${literature ? 's.doc_id' : 'NULL'} AS literature_doc, ${literature ? 's.method' : 'NULL'} AS literature_method
     FROM verdicts v JOIN files f ON f.id = v.file_id${literature ? ' LEFT JOIN literature_snippets s ON s.file_id = v.file_id' : ''}
     WHERE v.gen_id = ?`,
  ).run(genId);
  const rows = db.prepare(`SELECT count(*) FROM ${FACTS}`).pluck().get() as number;
  return { db, genId, rows, close: () => db.exec(`DROP TABLE IF EXISTS ${FACTS}`) };
}

/** A database opened read-only is not migrated: one from before the literature crawler has no such table. */
function hasLiterature(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'literature_snippets'").get() !== undefined;
}
