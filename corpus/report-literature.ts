import type { Db } from './db.js';
import { hasTable } from './report-aggregates.js';

/** Snippets of one literature document read one way, and what the generation did with them. */
export interface LiteratureGroup {
  /** pdf | web (the crawler that read it). */
  kind: string;
  /** The document's path or URL. */
  document: string;
  title: string | null;
  /** How the snippet's text was read: text-layer, ocr, html, … as recorded. */
  method: string;
  snippets: number;
  /** Snippets kept in the current generation (the rest were dropped, or have no verdict yet). */
  kept: number;
}

export interface LiteratureDocSummary {
  kind: string;
  status: string;
  documents: number;
  pages: number;
  pagesText: number;
  pagesOcr: number;
}

/**
 * Literature snippets of current file rows by document and reading method,
 * with the kept count of a generation; plus documents by crawl status with
 * their page counts (text layer vs OCR).
 */
export function getLiteratureGroups(db: Db, genId: number): { groups: LiteratureGroup[]; docs: LiteratureDocSummary[] } {
  if (!hasTable(db, 'literature_snippets')) return { groups: [], docs: [] };
  const groups = db
    .prepare(
      `SELECT d.kind, d.uri AS document, d.title, s.method, count(*) AS snippets, coalesce(sum(v.verdict = 'keep'), 0) AS kept
       FROM literature_snippets s
       JOIN literature_docs d ON d.id = s.doc_id
       JOIN files f ON f.id = s.file_id AND f.current = 1
       LEFT JOIN verdicts v ON v.gen_id = ? AND v.file_id = s.file_id
       GROUP BY d.id, s.method ORDER BY d.kind, d.uri, s.method`,
    )
    .all(genId) as LiteratureGroup[];
  const docs = db
    .prepare(
      `SELECT kind, status, count(*) AS documents, coalesce(sum(pages), 0) AS pages,
              coalesce(sum(pages_text), 0) AS pagesText, coalesce(sum(pages_ocr), 0) AS pagesOcr
       FROM literature_docs GROUP BY kind, status ORDER BY kind, status`,
    )
    .all() as LiteratureDocSummary[];
  return { groups, docs };
}
