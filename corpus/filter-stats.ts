import type { Db } from './db.js';

/** What the filters did to the kept documents of a generation (drops are in droppedBy / droppedByDomain). */
export interface FilterStats {
  /** Kept files with at least one redaction, and redactions by entity type and by rule. */
  redactions: { files: number; byType: Record<string, number>; byRule: Record<string, number> };
  /** Per domain: kept files, redacted files and redactions by type (for shares per domain). */
  redactionsByDomain: Record<string, { kept: number; redactedFiles: number; byType: Record<string, number> }>;
  /** Kept files by license decision status (detected, unknown, none, conflict) and the most common decided licenses. */
  licenseStatus: Record<string, number>;
  topLicenses: Record<string, number>;
}

/**
 * Reads the filter facts the stages put in each kept verdict's details:
 * `redactions` {count, byType, items[{type, rule,…}]} from the pii stage and
 * `licenseDecision.status` / `license` from the license stage. `byRule` counts
 * the recorded items (capped per file by pii.maxRecorded); `byType` is exact.
 */
export function getFilterStats(db: Db, genId: number): FilterStats {
  const keepRows = (sql: string): Array<{ k: string | null; d?: string; n: number }> => db.prepare(sql).all(genId) as never;
  const kept = "v.gen_id = ? AND v.verdict = 'keep' AND v.details IS NOT NULL";
  const redactions = { files: 0, byType: {} as Record<string, number>, byRule: {} as Record<string, number> };
  const redactionsByDomain: FilterStats['redactionsByDomain'] = {};
  const domain = (d: string | undefined): FilterStats['redactionsByDomain'][string] => (redactionsByDomain[d ?? 'general'] ??= { kept: 0, redactedFiles: 0, byType: {} });
  for (const r of keepRows(`SELECT v.domain AS d, t.key AS k, sum(t.value) AS n FROM verdicts v, json_each(v.details, '$.redactions.byType') t WHERE ${kept} GROUP BY v.domain, t.key`)) {
    redactions.byType[r.k!] = (redactions.byType[r.k!] ?? 0) + r.n;
    domain(r.d).byType[r.k!] = r.n;
  }
  for (const r of keepRows(`SELECT json_extract(i.value, '$.rule') AS k, count(*) AS n FROM verdicts v, json_each(v.details, '$.redactions.items') i WHERE ${kept} GROUP BY k ORDER BY n DESC`)) {
    redactions.byRule[r.k ?? 'unknown'] = r.n;
  }
  for (const r of keepRows(`SELECT v.domain AS d, 'x' AS k, count(*) AS n FROM verdicts v WHERE ${kept} AND json_extract(v.details, '$.redactions.count') > 0 GROUP BY v.domain`)) {
    domain(r.d).redactedFiles = r.n;
    redactions.files += r.n;
  }
  for (const r of db.prepare("SELECT domain AS d, count(*) AS n FROM verdicts WHERE gen_id = ? AND verdict = 'keep' GROUP BY domain").all(genId) as Array<{ d: string; n: number }>) {
    if (redactionsByDomain[r.d]) redactionsByDomain[r.d]!.kept = r.n;
  }
  const licenseStatus: Record<string, number> = {};
  for (const r of db
    .prepare("SELECT coalesce(json_extract(details, '$.licenseDecision.status'), 'not-recorded') AS k, count(*) AS n FROM verdicts WHERE gen_id = ? AND verdict = 'keep' GROUP BY k ORDER BY n DESC")
    .all(genId) as Array<{ k: string; n: number }>) {
    licenseStatus[r.k] = r.n;
  }
  const topLicenses: Record<string, number> = {};
  for (const r of db
    .prepare("SELECT json_extract(details, '$.license') AS k, count(*) AS n FROM verdicts WHERE gen_id = ? AND verdict = 'keep' AND json_extract(details, '$.license') IS NOT NULL GROUP BY k ORDER BY n DESC, k LIMIT 10")
    .all(genId) as Array<{ k: string; n: number }>) {
    topLicenses[r.k] = r.n;
  }
  return { redactions, redactionsByDomain, licenseStatus, topLicenses };
}

/** A few dropped files per reason of one stage, for reviewing what a rule removes. */
export function sampleDrops(db: Db, genId: number, stage: string, perReason: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const rows = db
    .prepare(
      `SELECT reason, path FROM (
         SELECT v.reason, r.name || ':' || f.path AS path, row_number() OVER (PARTITION BY v.reason ORDER BY f.doc_id) AS k
         FROM verdicts v JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
         WHERE v.gen_id = ? AND v.verdict = 'drop' AND v.stage = ?)
       WHERE k <= ? ORDER BY reason, k`,
    )
    .all(genId, stage, perReason) as Array<{ reason: string; path: string }>;
  for (const r of rows) (out[r.reason] ??= []).push(r.path);
  return out;
}
