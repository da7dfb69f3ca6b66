import { decompressBlob } from './blobs.js';
import type { Db } from './db.js';

/** A kept document of a generation, decoded, with the provenance an export records. */
export interface KeptDoc {
  id: string;
  source: string;
  repo: string;
  path: string;
  lang: string;
  domain: string;
  license: string | null;
  commit: string | null;
  sha256: string;
  text: string;
}

/** Which kept documents an export takes; an empty or missing list means all. */
export interface KeptDocFilter {
  domains?: readonly string[];
  langs?: readonly string[];
  /** Verification statuses to keep (`$.verification.status`, or `status/kind` with `$.verification.kind`), e.g. ['compiles']. */
  verified?: readonly string[];
  /** 'id' (default) for file records; 'repo' (repository, then path) for repository-level samples. */
  orderBy?: 'id' | 'repo';
  /** Only a slice of that order (one export part job): planned by planKeptDocSlices. */
  range?: KeptDocRange;
}

/**
 * A contiguous slice of the export order, both ends included: by (document id,
 * file id) for the 'id' order, by whole repositories (name) for the 'repo' order.
 */
export type KeptDocRange =
  | { by: 'id'; first: [string, number]; last: [string, number] }
  | { by: 'repo'; first: string; last: string };

/** How many documents a generation kept (that pass `filter`). */
export function countKeptDocs(db: Db, genId: number, filter: KeptDocFilter = {}): number {
  const { where, params } = filterClause(filter);
  return db.prepare(`SELECT count(*) FROM verdicts v WHERE v.gen_id = ? AND v.verdict = 'keep'${where}`).pluck().get(genId, ...params) as number;
}

/** SQL conditions on `verdicts v` for a filter, with their parameters. */
function filterClause(filter: KeptDocFilter): { where: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const add = (expr: string, values: readonly string[] | undefined): void => {
    if (!values || values.length === 0) return;
    parts.push(` AND ${expr} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  add('v.domain', filter.domains);
  add('v.lang', filter.langs);
  // Written by the verification stage; documents it never saw have no status and are left out.
  // An entry is a status, or status/kind (`elaboration-error/interface-mismatch`).
  if (filter.verified && filter.verified.length > 0) {
    const ors = filter.verified.map((v) => {
      const [status, kind] = v.split('/');
      params.push(status!);
      if (kind === undefined) return "json_extract(v.details, '$.verification.status') = ?";
      params.push(kind);
      return "(json_extract(v.details, '$.verification.status') = ? AND json_extract(v.details, '$.verification.kind') = ?)";
    });
    parts.push(` AND (${ors.join(' OR ')})`);
  }
  return { where: parts.join(''), params };
}

/** A kept document without its text (repository-level export reads texts when it needs them). */
export type KeptDocMeta = Omit<KeptDoc, 'text'>;

/** Rows per page: each page is one indexed read, and no statement stays open between pages. */
const PAGE = 500;
let orders = 0;

/**
 * Streams a generation's kept documents (metadata) ordered by document id (or
 * by repository and path), so an export depends only on the corpus, never on
 * crawl or rebuild order. Shape for scale: the order is sorted once into a
 * TEMP table of file ids (SQLite's temp store, on disk; no blob in the
 * sorter), then read back a page at a time, so memory stays flat and the
 * connection is free between pages for the blob reads.
 */
export function* iterateKeptDocMeta(reader: Db, genId: number, filter: KeptDocFilter = {}): Generator<KeptDocMeta> {
  const { where, params } = filterClause(filter);
  const range = rangeClause(filter);
  const table = `export_order_${++orders}`;
  reader.prepare(`
    CREATE TEMP TABLE ${table} AS
    SELECT v.file_id AS file_id FROM verdicts v
    JOIN files f ON f.id = v.file_id
    JOIN repos r ON r.id = f.repo_id
    WHERE v.gen_id = ? AND v.verdict = 'keep'${where}${range.where}
    ORDER BY ${filter.orderBy === 'repo' ? 'r.name, f.path, f.id' : 'f.doc_id, f.id'}`).run(genId, ...params, ...range.params);
  try {
    const page = reader.prepare(`
      SELECT o.rowid AS pos, f.doc_id AS id, s.kind AS source, r.name AS repo, f.path, v.lang, v.domain,
             -- The license stage's decision (SPDX expression), not the API's claim.
             json_extract(v.details, '$.license') AS license,
             -- The commit and source as the generation's rebuild pinned them, so an older generation exports the same bytes later.
             coalesce(g.commit_sha, r.commit_sha) AS "commit", v.out_sha256 AS sha256
      FROM temp.${table} o
      JOIN verdicts v ON v.gen_id = ? AND v.file_id = o.file_id
      JOIN files f ON f.id = o.file_id
      JOIN repos r ON r.id = f.repo_id
      LEFT JOIN generation_repos g ON g.gen_id = v.gen_id AND g.repo_id = f.repo_id
      JOIN sources s ON s.id = coalesce(g.source_id, r.source_id)
      WHERE o.rowid > ? ORDER BY o.rowid LIMIT ${PAGE}`);
    for (let last = 0; ; ) {
      const rows = page.all(genId, last) as Array<KeptDocMeta & { pos: number }>;
      for (const { pos: _pos, ...doc } of rows) yield doc;
      if (rows.length < PAGE) return;
      last = rows[rows.length - 1]!.pos;
    }
  } finally {
    reader.exec(`DROP TABLE IF EXISTS temp.${table}`);
  }
}

function rangeClause(filter: KeptDocFilter): { where: string; params: Array<string | number> } {
  const r = filter.range;
  if (!r) return { where: '', params: [] };
  if (r.by !== (filter.orderBy ?? 'id')) throw new Error(`a ${r.by} range needs orderBy ${r.by}`);
  return r.by === 'id'
    ? { where: ' AND (f.doc_id, f.id) BETWEEN (?, ?) AND (?, ?)', params: [...r.first, ...r.last] }
    : { where: ' AND r.name BETWEEN ? AND ?', params: [r.first, r.last] };
}

/** One planned slice of an export: its range, documents, and the repositories it touches (sorted). */
export interface KeptDocSlice {
  range: KeptDocRange;
  docs: number;
  repos: string[];
}

/**
 * Cuts a generation's kept documents (in the export order of `filter`) into
 * slices of about `size` documents: contiguous (document id, file id) ranges,
 * or whole repositories for the 'repo' order (a repository sample never spans
 * two slices). Metadata only, one pass, no text read.
 */
export function planKeptDocSlices(reader: Db, genId: number, filter: KeptDocFilter, size: number): KeptDocSlice[] {
  const { where, params } = filterClause(filter);
  const byRepo = filter.orderBy === 'repo';
  const rows = reader.prepare(`
    SELECT f.doc_id AS docId, f.id AS fileId, r.name AS repo FROM verdicts v
    JOIN files f ON f.id = v.file_id
    JOIN repos r ON r.id = f.repo_id
    WHERE v.gen_id = ? AND v.verdict = 'keep'${where}
    ORDER BY ${byRepo ? 'r.name, f.path, f.id' : 'f.doc_id, f.id'}`);
  const out: KeptDocSlice[] = [];
  let cur: { first: [string, number]; last: [string, number]; docs: number; repos: Set<string> } | null = null;
  const close = (): void => {
    if (!cur) return;
    const range: KeptDocRange = byRepo ? { by: 'repo', first: [...cur.repos][0]!, last: [...cur.repos].at(-1)! } : { by: 'id', first: cur.first, last: cur.last };
    out.push({ range, docs: cur.docs, repos: [...cur.repos].sort() });
    cur = null;
  };
  let lastRepo: string | null = null;
  for (const r of rows.iterate(genId, ...params) as Iterable<{ docId: string; fileId: number; repo: string }>) {
    // By repository, a slice is only closed between repositories.
    if (cur && cur.docs >= size && (!byRepo || r.repo !== lastRepo)) close();
    cur ??= { first: [r.docId, r.fileId], last: [r.docId, r.fileId], docs: 0, repos: new Set() };
    cur.last = [r.docId, r.fileId];
    cur.docs++;
    cur.repos.add(r.repo);
    lastRepo = r.repo;
  }
  close();
  return out;
}

/** The exported text of a kept document (its refined blob), or null when the blob is missing. */
export function readKeptText(reader: Db, sha256: string): string | null {
  const row = reader.prepare('SELECT codec, data FROM blobs WHERE sha256 = ?').get(sha256) as { codec: string; data: Buffer } | undefined;
  return row ? decompressBlob(row.codec, row.data).toString('utf8') : null;
}

/** Kept documents with their text, in the order of iterateKeptDocMeta (a document whose blob is missing is skipped). */
export function* iterateKeptDocs(reader: Db, genId: number, filter: KeptDocFilter = {}): Generator<KeptDoc> {
  for (const meta of iterateKeptDocMeta(reader, genId, filter)) {
    const text = readKeptText(reader, meta.sha256);
    if (text !== null) yield { ...meta, text };
  }
}

/** Kept documents per repository of a generation (the sizes a split plan balances). */
export function countKeptDocsByRepo(db: Db, genId: number): Map<string, number> {
  return new Map(
    db
      .prepare(`SELECT r.name, count(*) AS n FROM verdicts v JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
                WHERE v.gen_id = ? AND v.verdict = 'keep' GROUP BY r.name`)
      .raw()
      .all(genId) as [string, number][],
  );
}

/** Pairs of repositories linked by a recorded duplicate (dropped copy → kept copy, or a shared kept cluster). */
export function listDuplicateLinks(db: Db, genId: number): [string, string][] {
  const dropped = db
    .prepare(`SELECT r1.name, r2.name FROM verdicts v
      JOIN files f1 ON f1.id = v.file_id JOIN repos r1 ON r1.id = f1.repo_id
      JOIN files f2 ON f2.doc_id = json_extract(v.details, '$.duplicateOf') JOIN repos r2 ON r2.id = f2.repo_id
      WHERE v.gen_id = ? AND v.verdict = 'drop' AND json_extract(v.details, '$.duplicateOf') IS NOT NULL AND r1.id <> r2.id`)
    .raw()
    .all(genId) as [string, string][];
  const clustered = db
    .prepare(`SELECT json_extract(v.details, '$.cluster') AS c, r.name FROM verdicts v
      JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
      WHERE v.gen_id = ? AND v.verdict = 'keep' AND json_extract(v.details, '$.cluster') IS NOT NULL ORDER BY c`)
    .raw()
    .all(genId) as [unknown, string][];
  const links = [...dropped];
  for (let i = 1; i < clustered.length; i++) {
    if (clustered[i]![0] === clustered[i - 1]![0]) links.push([clustered[i - 1]![1], clustered[i]![1]]);
  }
  return links;
}
