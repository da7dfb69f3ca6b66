import type { Db } from './db.js';
import { hasTable } from './report-aggregates.js';
import { FACTS, type ReportFacts } from './report-facts.js';

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
  /** Snippets kept in the generation (the rest were dropped). */
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
 * Literature snippets of the generation by document and reading method, with
 * how many were kept; plus every crawled document by crawl status with its
 * page counts (text layer vs OCR).
 */
export function getLiteratureGroups(f: ReportFacts): { groups: LiteratureGroup[]; docs: LiteratureDocSummary[] } {
  const db = f.db;
  if (!hasTable(db, 'literature_docs')) return { groups: [], docs: [] };
  const groups = db
    .prepare(
      `SELECT d.kind, d.uri AS document, d.title, x.literature_method AS method, count(*) AS snippets, sum(x.verdict = 'keep') AS kept
       FROM ${FACTS} x JOIN literature_docs d ON d.id = x.literature_doc
       WHERE x.literature_doc IS NOT NULL
       GROUP BY d.id, x.literature_method ORDER BY d.kind, d.uri, x.literature_method`,
    )
    .all() as LiteratureGroup[];
  const docs = db
    .prepare(
      `SELECT kind, status, count(*) AS documents, coalesce(sum(pages), 0) AS pages,
              coalesce(sum(pages_text), 0) AS pagesText, coalesce(sum(pages_ocr), 0) AS pagesOcr
       FROM literature_docs GROUP BY kind, status ORDER BY kind, status`,
    )
    .all() as LiteratureDocSummary[];
  return { groups, docs };
}
