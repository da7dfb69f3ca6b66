import { FACTS, type ReportFacts } from './report-facts.js';

/** One sampled file of a group (a drop reason, a verification status, a PII kind, …). */
export interface SampleEntry {
  /** The group's key parts, e.g. [stage, reason]. */
  key: string[];
  docId: string;
  repo: string;
  path: string;
  lang: string | null;
  details: Record<string, unknown> | null;
}

/**
 * How to group the facts to sample from. The expressions are this module's
 * own constants (never user input), over `x` (the report facts).
 */
interface SampleSpec {
  verdict: 'keep' | 'drop';
  keys: readonly string[];
  from?: string;
  where?: string;
}

const DROPS: SampleSpec = { verdict: 'drop', keys: ['x.stage', 'x.reason'] };
const VERIFICATION: SampleSpec = { verdict: 'keep', keys: ['x.verify'], where: 'x.verify IS NOT NULL' };
const LICENSES: SampleSpec = { verdict: 'keep', keys: ['x.license_status'] };
const REDACTIONS: SampleSpec = { verdict: 'keep', keys: ['t.key'], from: ', json_each(x.redactions) t', where: 'x.redactions IS NOT NULL AND t.value > 0' };

/** Up to `per` dropped files per stage and reason. */
export const sampleDrops = (f: ReportFacts, per: number): SampleEntry[] => sampleGroups(f, DROPS, per);
/** Up to `per` kept files per verification status (failure classes and passes alike). */
export const sampleVerification = (f: ReportFacts, per: number): SampleEntry[] => sampleGroups(f, VERIFICATION, per);
/** Up to `per` kept files per license decision status. */
export const sampleLicenses = (f: ReportFacts, per: number): SampleEntry[] => sampleGroups(f, LICENSES, per);
/** Up to `per` kept files per redacted PII kind. */
export const sampleRedactions = (f: ReportFacts, per: number): SampleEntry[] => sampleGroups(f, REDACTIONS, per);

/**
 * Bounded samples: rank each group's facts by document id (a hash of
 * repository and path, so a sample spreads over repositories instead of taking
 * the first one crawled) and keep the first `per`. Details are read for the
 * chosen rows alone.
 */
function sampleGroups(f: ReportFacts, spec: SampleSpec, per: number): SampleEntry[] {
  if (per <= 0) return [];
  const keys = spec.keys.map((k, i) => `${k} AS k${i}`).join(', ');
  const partition = spec.keys.map((_, i) => `k${i}`).join(', ');
  const where = [`x.verdict = '${spec.verdict}'`, ...(spec.where ? [spec.where] : [])].join(' AND ');
  const ranked = f.db
    .prepare(
      `SELECT * FROM (
         SELECT ${partition}, file_id, doc_id, row_number() OVER (PARTITION BY ${partition} ORDER BY doc_id) AS rank
         FROM (SELECT ${keys}, x.file_id, x.doc_id FROM ${FACTS} x${spec.from ?? ''} WHERE ${where})
         WHERE k0 IS NOT NULL)
       WHERE rank <= ? ORDER BY ${partition}, rank`,
    )
    .all(per) as Array<Record<string, unknown> & { file_id: number; doc_id: string }>;
  const read = f.db.prepare(
    `SELECT r.name AS repo, f.path, v.lang, v.details FROM verdicts v JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
     WHERE v.gen_id = ? AND v.file_id = ?`,
  );
  return ranked.map((row) => {
    const d = read.get(f.genId, row.file_id) as { repo: string; path: string; lang: string | null; details: string | null };
    return {
      key: spec.keys.map((_, i) => String(row[`k${i}`])),
      docId: row.doc_id,
      repo: d.repo,
      path: d.path,
      lang: d.lang,
      details: d.details ? (JSON.parse(d.details) as Record<string, unknown>) : null,
    };
  });
}
