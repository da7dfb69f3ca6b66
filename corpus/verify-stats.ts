import type { Db } from './db.js';

/** Pass counts of one group (a language or a domain). */
export interface PassRates {
  /** Documents a toolchain check applied to (toolchain-missing included). */
  checked: number;
  /** Accepted standalone (the file alone). */
  standalone: number;
  /** Accepted with repository context by the first tool, before vendor models, stubs and second opinions. */
  repository: number;
  /** `compiles` in the end (standalone, repository context, vendor models or a second opinion). */
  compiles: number;
  /** `compiles-with-blackboxes`: the rest of the file compiles around stubbed modules. */
  withBlackboxes: number;
  /** Accepted only thanks to repository context. */
  viaRepository: number;
  /** Accepted with yosys's vendor primitive models / decided by a second front end. */
  viaVendorModels: number;
  viaSecondOpinion: number;
  byStatus: Record<string, number>;
  /** status/kind → count, for the statuses that have a kind. */
  byKind: Record<string, number>;
}

export interface VerificationStats {
  byLang: Record<string, PassRates>;
  byDomain: Record<string, PassRates>;
  /** Synthesis: attempted, succeeded, cells of the files' own modules; distinct top modules synthesized. */
  synth: { attempted: number; compiles: number; cells: number; tops: number };
  /** Results per sandbox level (a weaker level is recorded on every result). */
  bySandbox: Record<string, number>;
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

const empty = (): PassRates => ({ checked: 0, standalone: 0, repository: 0, compiles: 0, withBlackboxes: 0, viaRepository: 0, viaVendorModels: 0, viaSecondOpinion: 0, byStatus: {}, byKind: {} });

interface Row {
  lang: string | null; domain: string | null; status: string; kind: string | null; standalone: string | null; repository: string | null;
  vendor: number | null; opinions: number | null; synth: string | null; cells: number | null; top: string | null; sandbox: string | null;
}

/**
 * Pass rates of a generation's kept documents from their verdict details
 * (`$.verification.*`), per language and per domain: standalone → repository
 * context → with vendor models and second opinions, and the failure mix.
 */
export function getVerificationStats(db: Db, genId: number): VerificationStats {
  const rows = db
    .prepare(
      `SELECT lang, domain, json_extract(details, '$.verification.status') AS status,
              json_extract(details, '$.verification.kind') AS kind,
              json_extract(details, '$.verification.standalone.status') AS standalone,
              json_extract(details, '$.verification.repository.status') AS repository,
              json_array_length(json_extract(details, '$.verification.vendorModels')) AS vendor,
              json_array_length(json_extract(details, '$.verification.opinions')) AS opinions,
              json_extract(details, '$.verification.synth.status') AS synth,
              json_extract(details, '$.verification.synth.cells') AS cells,
              json_extract(details, '$.verification.synth.top') AS top,
              json_extract(details, '$.verification.sandbox') AS sandbox
       FROM verdicts WHERE gen_id = ? AND verdict = 'keep' AND json_extract(details, '$.verification.status') IS NOT NULL`,
    )
    .all(genId) as Row[];
  const out: VerificationStats = { byLang: {}, byDomain: {}, synth: { attempted: 0, compiles: 0, cells: 0, tops: 0 }, bySandbox: {}, refinement: {} };
  const tops = new Set<string>();
  for (const r of rows) {
    const pass = r.status === 'compiles' || r.status === 'compiles-with-blackboxes';
    for (const g of [(out.byLang[r.lang ?? 'unknown'] ??= empty()), (out.byDomain[r.domain ?? 'general'] ??= empty())]) {
      g.checked++;
      g.byStatus[r.status] = (g.byStatus[r.status] ?? 0) + 1;
      if (r.kind) g.byKind[`${r.status}/${r.kind}`] = (g.byKind[`${r.status}/${r.kind}`] ?? 0) + 1;
      if (r.standalone === 'compiles') g.standalone++;
      if (r.standalone === 'compiles' || r.repository === 'compiles') g.repository++;
      if (r.status === 'compiles') g.compiles++;
      if (r.status === 'compiles-with-blackboxes') g.withBlackboxes++;
      if (pass && r.standalone !== 'compiles') g.viaRepository++;
      if (pass && (r.vendor ?? 0) > 0) g.viaVendorModels++;
      if (pass && (r.opinions ?? 0) > 0) g.viaSecondOpinion++;
    }
    out.bySandbox[r.sandbox ?? 'unrecorded'] = (out.bySandbox[r.sandbox ?? 'unrecorded'] ?? 0) + 1;
    if (r.synth && r.synth !== 'not-applicable') {
      out.synth.attempted++;
      if (r.top) tops.add(r.top);
      if (r.synth === 'compiles') {
        out.synth.compiles++;
        out.synth.cells += r.cells ?? 0;
      }
    }
  }
  out.synth.tops = tops.size;
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

/** One kept document's verification with its provenance (benchmarks and hand checks read these). */
export interface KeptVerification<V = { status: string; standalone: { status: string } }> {
  repo: string;
  path: string;
  lang: string;
  /** sha256 of the crawled file. */
  sha256: string;
  v: V;
}

/** Every kept document of a generation that has a verification, ordered by repository and path. */
export function listKeptVerifications<V = { status: string; standalone: { status: string } }>(db: Db, genId: number): Array<KeptVerification<V>> {
  const rows = db
    .prepare(
      `SELECT r.name AS repo, f.path, v.lang, f.sha256, json_extract(v.details, '$.verification') AS ver
       FROM verdicts v JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
       WHERE v.gen_id = ? AND v.verdict = 'keep' AND json_extract(v.details, '$.verification.status') IS NOT NULL
       ORDER BY r.name, f.path`,
    )
    .all(genId) as Array<{ repo: string; path: string; lang: string; sha256: string; ver: string }>;
  return rows.map((r) => ({ repo: r.repo, path: r.path, lang: r.lang, sha256: r.sha256, v: JSON.parse(r.ver) as V }));
}
