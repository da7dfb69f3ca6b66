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
  /** Refinement proofs per language (`$.verification.refinement`, issue 18). */
  refinement: Record<string, RefinementCounts>;
}

/** Refined documents of one language whose proof ran, by outcome and by the text that ships. */
export interface RefinementCounts {
  attempted: number;
  identical: number;
  mismatch: number;
  notCheckable: number;
  /** Layout fixes reverted: the redacted or crawled text ships. */
  reverted: number;
  /** Redactions that change the compiled program (shipped redacted, never undone). */
  redactionChangesCode: number;
  shipped: Record<string, number>;
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
  const out: VerificationStats = { byLang: {}, byDomain: {}, synth: { attempted: 0, compiles: 0, cells: 0 }, refinement: {} };
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
  out.refinement = getRefinementCounts(db, genId);
  return out;
}

/** One kept document a stage refined: what verify proved and what shipped (the bench lists each mismatch). */
export interface RefinedDoc {
  path: string;
  lang: string;
  /** The verification status of the refined text (null when not verified). */
  verifyStatus: string | null;
  /** Stages whose text ships (after any revert). */
  modifiedBy: string[];
  /** `$.verification.refinement`; null when no proof ran (the file does not compile, or no proof applies). */
  refinement: { status: string; shipped?: string; detail?: string; method?: string | null; log?: string; steps?: Array<{ stage: string; status: string; action: string; detail: string }> } | null;
}

/** Kept documents a stage refined (or whose refinement the proof reverted), in path order. */
export function listRefinedDocs(db: Db, genId: number): RefinedDoc[] {
  const rows = db
    .prepare(
      `SELECT f.path AS path, v.lang AS lang, json_extract(v.details, '$.verification.status') AS status,
              json_extract(v.details, '$.modifiedBy') AS modifiedBy, json_extract(v.details, '$.verification.refinement') AS refinement
       FROM verdicts v JOIN files f ON f.id = v.file_id
       WHERE v.gen_id = ? AND v.verdict = 'keep' AND (json_extract(v.details, '$.modifiedBy') IS NOT NULL OR json_extract(v.details, '$.verification.refinement') IS NOT NULL)
       ORDER BY f.path`,
    )
    .all(genId) as Array<{ path: string; lang: string | null; status: string | null; modifiedBy: string | null; refinement: string | null }>;
  return rows.map((r) => ({ path: r.path, lang: r.lang ?? 'unknown', verifyStatus: r.status, modifiedBy: r.modifiedBy ? (JSON.parse(r.modifiedBy) as string[]) : [], refinement: r.refinement ? (JSON.parse(r.refinement) as RefinedDoc['refinement']) : null }));
}

function getRefinementCounts(db: Db, genId: number): Record<string, RefinementCounts> {
  const out: Record<string, RefinementCounts> = {};
  for (const { lang, refinement: r } of listRefinedDocs(db, genId)) {
    if (!r) continue;
    const c = (out[lang] ??= { attempted: 0, identical: 0, mismatch: 0, notCheckable: 0, reverted: 0, redactionChangesCode: 0, shipped: {} });
    c.attempted++;
    if (r.status === 'identical') c.identical++;
    else if (r.status === 'mismatch') c.mismatch++;
    else c.notCheckable++;
    if (r.steps?.some((s) => s.action === 'reverted')) c.reverted++;
    if (r.steps?.some((s) => s.stage === 'pii' && s.status === 'mismatch')) c.redactionChangesCode++;
    const shipped = r.shipped ?? 'refined';
    c.shipped[shipped] = (c.shipped[shipped] ?? 0) + 1;
  }
  return out;
}
