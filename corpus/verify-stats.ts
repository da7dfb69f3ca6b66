import type { Db } from './db.js';

/** Pass counts of one group (a language or a domain). */
export interface PassRates {
  /** Documents a toolchain check applied to (toolchain-missing included). */
  checked: number;
  /** Accepted standalone (the file alone). */
  standalone: number;
  /** Accepted in the end (standalone, or in repository context). */
  compiles: number;
  /** Accepted only thanks to repository context. */
  viaRepository: number;
  byStatus: Record<string, number>;
}

export interface VerificationStats {
  byLang: Record<string, PassRates>;
  byDomain: Record<string, PassRates>;
  /** Synthesis: attempted, succeeded, total cells of the successes. */
  synth: { attempted: number; compiles: number; cells: number };
}

const empty = (): PassRates => ({ checked: 0, standalone: 0, compiles: 0, viaRepository: 0, byStatus: {} });

/**
 * Pass rates of a generation's kept documents from their verdict details
 * (`$.verification.status`, `$.verification.standalone.status`), per language
 * and per domain: standalone vs repository context.
 */
export function getVerificationStats(db: Db, genId: number): VerificationStats {
  const rows = db
    .prepare(
      `SELECT lang, domain, json_extract(details, '$.verification.status') AS status,
              json_extract(details, '$.verification.standalone.status') AS standalone,
              json_extract(details, '$.verification.synth.status') AS synth,
              json_extract(details, '$.verification.synth.cells') AS cells
       FROM verdicts WHERE gen_id = ? AND verdict = 'keep' AND json_extract(details, '$.verification.status') IS NOT NULL`,
    )
    .all(genId) as Array<{ lang: string | null; domain: string | null; status: string; standalone: string | null; synth: string | null; cells: number | null }>;
  const out: VerificationStats = { byLang: {}, byDomain: {}, synth: { attempted: 0, compiles: 0, cells: 0 } };
  for (const r of rows) {
    for (const g of [(out.byLang[r.lang ?? 'unknown'] ??= empty()), (out.byDomain[r.domain ?? 'general'] ??= empty())]) {
      g.checked++;
      g.byStatus[r.status] = (g.byStatus[r.status] ?? 0) + 1;
      if (r.standalone === 'compiles') g.standalone++;
      if (r.status === 'compiles') g.compiles++;
      if (r.status === 'compiles' && r.standalone !== 'compiles') g.viaRepository++;
    }
    if (r.synth) {
      out.synth.attempted++;
      if (r.synth === 'compiles') {
        out.synth.compiles++;
        out.synth.cells += r.cells ?? 0;
      }
    }
  }
  return out;
}
