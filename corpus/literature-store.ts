import type { Db } from './db.js';

/** A crawled PDF or web page, whether it yielded snippets or failed. */
export interface LiteratureDocInput {
  kind: 'pdf' | 'web';
  uri: string;
  repoId: number | null;
  sha256: string | null;
  title: string | null;
  pages: number | null;
  pagesText: number | null;
  pagesOcr: number | null;
  status: 'ok' | 'partial' | 'failed';
  reason: string | null;
  elapsedMs: number;
}

/** Provenance of one snippet, stored against the file row that holds its text. */
export interface SnippetProvenance {
  path: string;
  pageFrom: number | null;
  pageTo: number | null;
  boxes: unknown[];
  method: 'text-layer' | 'ocr' | 'html';
  caption: string | null;
  context: string | null;
  lang: string | null;
  validity: number | null;
  details: Record<string, unknown>;
}

/** Records (or refreshes) a literature document and returns its id. */
export function upsertLiteratureDoc(db: Db, doc: LiteratureDocInput): number {
  db.prepare(
    `INSERT INTO literature_docs (kind, uri, repo_id, sha256, title, pages, pages_text, pages_ocr, status, reason, elapsed_ms, crawled_at)
     VALUES (@kind, @uri, @repoId, @sha256, @title, @pages, @pagesText, @pagesOcr, @status, @reason, @elapsedMs, @now)
     ON CONFLICT (kind, uri) DO UPDATE SET repo_id = coalesce(excluded.repo_id, repo_id), sha256 = excluded.sha256,
       title = excluded.title, pages = excluded.pages, pages_text = excluded.pages_text, pages_ocr = excluded.pages_ocr,
       status = excluded.status, reason = excluded.reason, elapsed_ms = excluded.elapsed_ms, crawled_at = excluded.crawled_at`,
  ).run({ ...doc, now: new Date().toISOString() });
  return db.prepare('SELECT id FROM literature_docs WHERE kind = ? AND uri = ?').pluck().get(doc.kind, doc.uri) as number;
}

/**
 * Stores snippet provenance for the current file rows of a repository. Called
 * after the snapshot writer finished, so unchanged snippets (no new file row)
 * keep pointing at their existing row.
 */
export function recordSnippets(db: Db, docId: number, repoId: number, snippets: readonly SnippetProvenance[]): void {
  const fileId = db.prepare('SELECT id FROM files WHERE repo_id = ? AND path = ? AND current = 1');
  const put = db.prepare(
    `INSERT OR REPLACE INTO literature_snippets (file_id, doc_id, page_from, page_to, boxes, method, caption, context, lang, validity, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const s of snippets) {
      const id = fileId.pluck().get(repoId, s.path) as number | undefined;
      if (id === undefined) continue;
      put.run(id, docId, s.pageFrom, s.pageTo, JSON.stringify(s.boxes), s.method, s.caption, s.context, s.lang, s.validity, JSON.stringify(s.details));
    }
  })();
}

/** Provenance as `why` shows it. */
export interface SnippetExplanation {
  document: string;
  title: string | null;
  pages: string | null;
  method: string;
  boxes: unknown[];
  caption: string | null;
  context: string | null;
  lang: string | null;
  validity: number | null;
  details: Record<string, unknown>;
}

/** The literature provenance of a file row, or null when it did not come from a PDF or web page. */
export function getSnippetProvenance(db: Db, fileId: number): SnippetExplanation | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'literature_snippets'").get();
  if (!hasTable) return null;
  const row = db
    .prepare(
      `SELECT d.uri, d.title, s.page_from AS pageFrom, s.page_to AS pageTo, s.method, s.boxes, s.caption, s.context, s.lang, s.validity, s.details
       FROM literature_snippets s JOIN literature_docs d ON d.id = s.doc_id WHERE s.file_id = ?`,
    )
    .get(fileId) as
    | { uri: string; title: string | null; pageFrom: number | null; pageTo: number | null; method: string; boxes: string; caption: string | null; context: string | null; lang: string | null; validity: number | null; details: string }
    | undefined;
  if (!row) return null;
  return {
    document: row.uri,
    title: row.title,
    pages: row.pageFrom === null ? null : row.pageFrom === row.pageTo ? String(row.pageFrom) : `${row.pageFrom}-${row.pageTo}`,
    method: row.method,
    boxes: JSON.parse(row.boxes) as unknown[],
    caption: row.caption,
    context: row.context,
    lang: row.lang,
    validity: row.validity,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** Failed or partial literature documents, for `stats`-style reports and tests. */
export function listLiteratureDocs(db: Db): Array<{ kind: string; uri: string; status: string; reason: string | null; pages: number | null; pagesOcr: number | null }> {
  return db.prepare('SELECT kind, uri, status, reason, pages, pages_ocr AS pagesOcr FROM literature_docs ORDER BY id').all() as never;
}
