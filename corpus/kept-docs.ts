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
}

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

/**
 * Streams a generation's kept documents ordered by document id (or by
 * repository and path), so an export depends only on the corpus, never on
 * crawl or rebuild order. Use a dedicated
 * read connection: the statement stays open while the caller writes elsewhere.
 */
export function* iterateKeptDocs(reader: Db, genId: number, filter: KeptDocFilter = {}): Generator<KeptDoc> {
  const { where, params } = filterClause(filter);
  const stmt = reader.prepare(`
    SELECT f.doc_id AS id, s.kind AS source, r.name AS repo, f.path, v.lang, v.domain,
           -- The license stage's decision (SPDX expression), not the API's claim.
           json_extract(v.details, '$.license') AS license,
           -- The commit and source as the generation's rebuild pinned them, so an older generation exports the same bytes later.
           coalesce(g.commit_sha, r.commit_sha) AS "commit", v.out_sha256 AS sha256, b.codec, b.data
    FROM verdicts v
    JOIN files f ON f.id = v.file_id
    JOIN repos r ON r.id = f.repo_id
    LEFT JOIN generation_repos g ON g.gen_id = v.gen_id AND g.repo_id = f.repo_id
    JOIN sources s ON s.id = coalesce(g.source_id, r.source_id)
    JOIN blobs b ON b.sha256 = v.out_sha256
    WHERE v.gen_id = ? AND v.verdict = 'keep'${where}
    ORDER BY ${filter.orderBy === 'repo' ? 'r.name, f.path, f.id' : 'f.doc_id, f.id'}`);
  for (const row of stmt.iterate(genId, ...params) as Iterable<Omit<KeptDoc, 'text'> & { codec: string; data: Buffer }>) {
    const { codec, data, ...rest } = row;
    yield { ...rest, text: decompressBlob(codec, data).toString('utf8') };
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
