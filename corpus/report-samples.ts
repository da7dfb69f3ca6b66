import type { Db } from './db.js';

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
 * How to group the verdicts to sample from. The expressions are this module's
 * own constants (never user input): SQL over `v` (verdicts), and `prefilter`
 * a cheap `instr` test that spares the JSON parse of rows that cannot match.
 */
interface SampleSpec {
  verdict: 'keep' | 'drop';
  keys: readonly string[];
  prefilter?: string;
  from?: string;
}

const DROPS: SampleSpec = { verdict: 'drop', keys: ['v.stage', 'v.reason'] };
const VERIFICATION: SampleSpec = {
  verdict: 'keep',
  keys: ["json_extract(v.details, '$.verification.status')"],
  prefilter: `instr(v.details, '"verification"') > 0`,
};
const LICENSES: SampleSpec = { verdict: 'keep', keys: ["coalesce(json_extract(v.details, '$.licenseDecision.status'), 'not-recorded')"] };
const REDACTIONS: SampleSpec = {
  verdict: 'keep',
  keys: ['t.key'],
  from: ", json_each(v.details, '$.redactions.byType') t",
  prefilter: `instr(v.details, '"redactions"') > 0 AND t.value > 0`,
};

/** Up to `per` dropped files per stage and reason. */
export const sampleDrops = (db: Db, genId: number, per: number): SampleEntry[] => sampleGroups(db, genId, DROPS, per);
/** Up to `per` kept files per verification status (failure classes and passes alike). */
export const sampleVerification = (db: Db, genId: number, per: number): SampleEntry[] => sampleGroups(db, genId, VERIFICATION, per);
/** Up to `per` kept files per license decision status. */
export const sampleLicenses = (db: Db, genId: number, per: number): SampleEntry[] => sampleGroups(db, genId, LICENSES, per);
/** Up to `per` kept files per redacted PII kind. */
export const sampleRedactions = (db: Db, genId: number, per: number): SampleEntry[] => sampleGroups(db, genId, REDACTIONS, per);

/**
 * Bounded samples in one scan: rank each group's rows by document id (a hash
 * of repository and path, so a sample spreads over repositories instead of
 * taking the first one crawled) and keep the first `per`. Only ids are ranked;
 * details are read for the chosen rows alone.
 */
function sampleGroups(db: Db, genId: number, spec: SampleSpec, per: number): SampleEntry[] {
  if (per <= 0) return [];
  const keys = spec.keys.map((k, i) => `${k} AS k${i}`).join(', ');
  const partition = spec.keys.map((_, i) => `k${i}`).join(', ');
  const where = [`v.gen_id = ?`, `v.verdict = '${spec.verdict}'`, ...(spec.prefilter ? [spec.prefilter] : [])].join(' AND ');
  const ranked = db
    .prepare(
      `SELECT * FROM (
         SELECT ${partition}, file_id, doc_id, row_number() OVER (PARTITION BY ${partition} ORDER BY doc_id) AS rank
         FROM (SELECT ${keys}, v.file_id, f.doc_id FROM verdicts v JOIN files f ON f.id = v.file_id${spec.from ?? ''} WHERE ${where})
         WHERE k0 IS NOT NULL)
       WHERE rank <= ? ORDER BY ${partition}, rank`,
    )
    .all(genId, per) as Array<Record<string, unknown> & { file_id: number; doc_id: string }>;
  const read = db.prepare(
    `SELECT r.name AS repo, f.path, v.lang, v.details FROM verdicts v JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
     WHERE v.gen_id = ? AND v.file_id = ?`,
  );
  return ranked.map((row) => {
    const d = read.get(genId, row.file_id) as { repo: string; path: string; lang: string | null; details: string | null };
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
