import type { Db } from './db.js';
import { UsageError } from '../pipeline/errors.js';
import { currentGeneration, listGenerations, requireGeneration } from './generations.js';
import { countRawChangesSince, type RawChanges } from './raw-snapshot.js';
import { getSnippetProvenance, type SnippetExplanation } from './literature-store.js';
import { getFilterStats, type FilterStats } from './filter-stats.js';
import { getVerificationStats, type VerificationStats } from './verify-stats.js';

export interface CorpusStats {
  raw: {
    sources: number;
    repos: number;
    files: number;
    bytes: number;
    storedBlobs: number;
    compressedBytes: number;
    byCrawlStatus: Record<string, number>;
  };
  /**
   * Raw changes committed after the shown generation's snapshot (a crawl during
   * or after its rebuild): they reach the corpus with the next rebuild. Null
   * before the first rebuild, or for a generation built before snapshots were recorded.
   */
  pending: null | (RawChanges & { generation: number });
  /** Complete generations that can still be explained and exported (`--generation N`), newest first. */
  retained: number[];
  generation: null | {
    id: number;
    finishedAt: string | null;
    seen: number;
    kept: number;
    dropped: number;
    droppedBy: Record<string, number>;
    keptBy: { lang: Record<string, number>; domain: Record<string, number> };
    droppedByDomain: Record<string, Record<string, number>>;
    stages: unknown;
    config: unknown;
    /** Redactions and license decisions of kept files (see filter-stats.ts). */
    filters: FilterStats;
    /** Toolchain pass rates, standalone vs repository context (see verify-stats.ts). */
    verification: VerificationStats;
  };
}

const groupCount = (rows: Array<{ k: string | null; n: number }>): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.k ?? 'unknown', r.n]));

/** What the corpus holds: the raw layer and a generation's verdicts (the current one unless `generation` names a retained one). */
export function getCorpusStats(db: Db, opts: { generation?: number } = {}): CorpusStats {
  const one = (sql: string, ...args: unknown[]): number => (db.prepare(sql).pluck().get(...args) as number | null) ?? 0;
  const raw = {
    sources: one('SELECT count(*) FROM sources'),
    repos: one('SELECT count(*) FROM repos'),
    files: one('SELECT count(*) FROM files WHERE current = 1'),
    bytes: one('SELECT sum(size) FROM files WHERE current = 1'),
    storedBlobs: one('SELECT count(*) FROM blobs'),
    compressedBytes: one('SELECT sum(length(data)) FROM blobs'),
    byCrawlStatus: groupCount(db.prepare('SELECT status AS k, count(*) AS n FROM files WHERE current = 1 GROUP BY status ORDER BY n DESC').all() as never),
  };
  const gen = opts.generation === undefined ? currentGeneration(db) : requireGeneration(db, opts.generation);
  const retained = listGenerations(db).filter((g) => g.status === 'complete').map((g) => g.id);
  if (!gen) return { raw, pending: null, retained, generation: null };
  const pending = gen.snapshot ? { generation: gen.id, ...countRawChangesSince(db, gen.snapshot) } : null;
  const s = (gen.stats ?? {}) as { seen?: number; kept?: number; dropped?: number; droppedBy?: Record<string, number>; stages?: unknown };
  const kept = (col: 'lang' | 'domain'): Record<string, number> =>
    groupCount(db.prepare(`SELECT ${col} AS k, count(*) AS n FROM verdicts WHERE gen_id = ? AND verdict = 'keep' GROUP BY ${col} ORDER BY n DESC, k`).all(gen.id) as never);
  const droppedByDomain: Record<string, Record<string, number>> = {};
  for (const r of db
    .prepare("SELECT domain, stage || '/' || reason AS reason, count(*) AS n FROM verdicts WHERE gen_id = ? AND verdict = 'drop' GROUP BY domain, stage, reason ORDER BY domain, n DESC")
    .all(gen.id) as Array<{ domain: string; reason: string; n: number }>) {
    (droppedByDomain[r.domain] ??= {})[r.reason] = r.n;
  }
  return {
    raw,
    pending,
    retained,
    generation: {
      id: gen.id,
      finishedAt: gen.finishedAt,
      seen: s.seen ?? 0,
      kept: s.kept ?? 0,
      dropped: s.dropped ?? 0,
      droppedBy: s.droppedBy ?? {},
      keptBy: { lang: kept('lang'), domain: kept('domain') },
      droppedByDomain,
      stages: s.stages ?? {},
      config: gen.config,
      filters: getFilterStats(db, gen.id),
      verification: getVerificationStats(db, gen.id),
    },
  };
}

export interface DocExplanation {
  id: string;
  repo: string;
  path: string;
  source: { kind: string; uri: string; ref: string };
  commit: string | null;
  size: number;
  sha256: string | null;
  crawl: { status: string; reason: string | null; current: boolean };
  /** The generation asked about (current unless --generation), null before the first rebuild. */
  generation: number | null;
  /** Where a PDF or web snippet came from (document, pages, boxes, text layer or OCR); absent otherwise. */
  literature?: SnippetExplanation;
  verdict: null | {
    generation: number;
    verdict: 'keep' | 'drop';
    stage: string | null;
    reason: string;
    details: Record<string, unknown> | null;
    lang: string | null;
    domain: string | null;
  };
}

/**
 * Finds a document by id (16 hex digits) or `repo:path` and says what happened
 * to it in a generation (the current one unless `generation` names a retained
 * one): the file row that generation judged, else the newest row; null when unknown.
 */
export function explainDoc(db: Db, key: string, opts: { generation?: number } = {}): DocExplanation | null {
  const gen = opts.generation === undefined ? currentGeneration(db) : requireGeneration(db, opts.generation);
  const latest = findFile(db, key);
  if (!latest) return null;
  const row = (gen && findJudgedFile(db, latest.id, gen.id)) || latest;
  const v = gen
    ? (db.prepare('SELECT verdict, stage, reason, details, lang, domain FROM verdicts WHERE gen_id = ? AND file_id = ?').get(gen.id, row.fileId) as
        | { verdict: 'keep' | 'drop'; stage: string | null; reason: string; details: string | null; lang: string | null; domain: string | null }
        | undefined)
    : undefined;
  return {
    id: row.id,
    repo: row.repo,
    path: row.path,
    source: { kind: row.kind, uri: row.uri, ref: row.ref },
    commit: (gen && pinnedCommit(db, gen.id, row.repo)) ?? row.commitSha,
    size: row.size,
    sha256: row.sha256,
    crawl: { status: row.status, reason: row.reason, current: row.current === 1 },
    generation: gen?.id ?? null,
    ...literatureOf(db, row.fileId),
    verdict:
      gen && v
        ? { generation: gen.id, verdict: v.verdict, stage: v.stage, reason: v.reason, details: v.details ? (JSON.parse(v.details) as Record<string, unknown>) : null, lang: v.lang, domain: v.domain }
        : null,
  };
}

/** The repository's commit as generation `genId` pinned it (generation_repos), if it did. */
function pinnedCommit(db: Db, genId: number, repo: string): string | null {
  return (db.prepare('SELECT commit_sha FROM generation_repos WHERE gen_id = ? AND name = ?').pluck().get(genId, repo) as string | null | undefined) ?? null;
}

function literatureOf(db: Db, fileId: number): { literature?: SnippetExplanation } {
  const p = getSnippetProvenance(db, fileId);
  return p ? { literature: p } : {};
}

interface FileRow {
  fileId: number; id: string; repo: string; path: string; kind: string; uri: string; ref: string;
  commitSha: string | null; size: number; sha256: string | null; status: string; reason: string | null; current: number;
}

const SELECT_FILE = `SELECT f.id AS fileId, f.doc_id AS id, r.name AS repo, f.path, s.kind, s.uri, s.ref, r.commit_sha AS commitSha,
      f.size, f.sha256, f.status, f.reason, f.current
    FROM files f JOIN repos r ON r.id = f.repo_id JOIN sources s ON s.id = r.source_id`;

/** The row of document `docId` that generation `genId` has a verdict for (an older row once a later crawl changed the file). */
function findJudgedFile(db: Db, docId: string, genId: number): FileRow | undefined {
  return db.prepare(`${SELECT_FILE} JOIN verdicts v ON v.file_id = f.id AND v.gen_id = ? WHERE f.doc_id = ?`).get(genId, docId) as FileRow | undefined;
}

function findFile(db: Db, key: string): FileRow | undefined {
  const select = SELECT_FILE;
  if (/^[0-9a-f]{16}$/.test(key)) {
    return db.prepare(`${select} WHERE f.doc_id = ? ORDER BY f.current DESC, f.id DESC LIMIT 1`).get(key) as FileRow | undefined;
  }
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    throw new UsageError(`expected a document id (16 hex digits) or repo:path, got ${JSON.stringify(key)}`);
  }
  return db
    .prepare(`${select} WHERE r.name = ? AND f.path = ? ORDER BY f.current DESC, f.id DESC LIMIT 1`)
    .get(key.slice(0, colon), key.slice(colon + 1)) as FileRow | undefined;
}
