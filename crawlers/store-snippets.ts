import type { Db } from '../corpus/db.js';
import { sha256Hex } from '../corpus/doc-id.js';
import { recordSnippets, upsertLiteratureDoc, type LiteratureDocInput } from '../corpus/literature-store.js';
import { beginCrawl, createRepoSnapshotWriter, findRepoSourceUri, finishCrawl, upsertRepo, type CrawlCounts } from '../corpus/raw-store.js';
import type { Snippet } from '../ocr/listing-snippets.js';
import { classifyContent } from './read-raw-file.js';

/** One literature document's outcome, as the PDF and web crawlers report it. */
export interface LiteratureOutcome {
  kind: 'pdf' | 'web';
  uri: string;
  /** Repository name (`pdf/yosys-manual`, `web/example.org/docs/x`); null when the document failed. */
  repo: string | null;
  status: 'ok' | 'partial' | 'failed';
  reason: string | null;
  snippets: number;
  pagesText: number;
  pagesOcr: number;
  counts: CrawlCounts | null;
}

export interface StoreInput extends Omit<LiteratureDocInput, 'repoId'> {
  repo: string | null;
  /** Snippets with the path each is stored under. */
  snippets: ReadonlyArray<{ path: string; snippet: Snippet }>;
}

const EMPTY: CrawlCounts = { seen: 0, added: 0, changed: 0, unchanged: 0, removed: 0, byStatus: {} };

/**
 * Stores a document's snippets as one repository snapshot (a file per
 * snippet, so they flow through rebuild and export like any code) and their
 * provenance keyed by file id. A failed document gets a failed crawl record and
 * its reason; earlier snippets of it are left as they were.
 */
export function storeLiterature(db: Db, input: StoreInput): LiteratureOutcome {
  const { crawlId, sourceId } = beginCrawl(db, { kind: input.kind, uri: input.uri });
  const base = { kind: input.kind, uri: input.uri, status: input.status, reason: input.reason, pagesText: input.pagesText ?? 0, pagesOcr: input.pagesOcr ?? 0 };
  if (input.status === 'failed' || input.repo === null) {
    finishCrawl(db, crawlId, 'failed', EMPTY);
    upsertLiteratureDoc(db, { ...input, repoId: null });
    return { ...base, repo: null, snippets: 0, counts: null };
  }
  const repoId = upsertRepo(db, sourceId, { name: input.repo, url: /^https?:/.test(input.uri) ? input.uri : null, commitSha: input.sha256 });
  const writer = createRepoSnapshotWriter(db, crawlId, repoId, input.repo);
  for (const { path, snippet } of input.snippets) writer.add(classifyContent(path, Buffer.from(snippet.text, 'utf8')));
  const counts = writer.finish();
  finishCrawl(db, crawlId, 'complete', counts);
  const docId = upsertLiteratureDoc(db, { ...input, repoId });
  recordSnippets(
    db,
    docId,
    repoId,
    input.snippets.map(({ path, snippet: s }) => ({
      path,
      pageFrom: s.pageFrom,
      pageTo: s.pageTo,
      boxes: s.boxes,
      method: s.method,
      caption: s.caption,
      context: s.context,
      lang: s.lang,
      validity: s.validity,
      details: s.details,
    })),
  );
  return { ...base, repo: input.repo, snippets: input.snippets.length, counts };
}

/**
 * One document as its crawler extracted it, before anything is stored: the
 * half that needs no corpus (fetching, parsing, OCR) and can run on a queue
 * worker. `wantedRepo` is the name before {@link uniqueRepoName}, which reads
 * the corpus and so runs where the document is stored, in input order.
 */
export interface LiteratureExtract extends Omit<StoreInput, 'repo'> {
  wantedRepo: string | null;
}

/** Stores an extracted document exactly as the crawler would have in-process. */
export function storeExtract(db: Db, x: LiteratureExtract): LiteratureOutcome {
  const { wantedRepo, ...rest } = x;
  return storeLiterature(db, { ...rest, repo: wantedRepo === null || x.status === 'failed' ? null : uniqueRepoName(db, wantedRepo, x.uri) });
}

/** A repository-name-safe slug: letters, digits, dot, dash, underscore and slash. */
export function slugify(s: string, max = 120): string {
  const slug = s.replace(/[^\w./-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-./]+/, '');
  let end = slug.length;
  while (end > 0 && '-./'.includes(slug[end - 1]!)) end--;
  return (slug.slice(0, end) || 'untitled').slice(0, max);
}

/** Repository names are unique: a second document with the same slug gets its URI's hash appended. */
export function uniqueRepoName(db: Db, wanted: string, uri: string): string {
  const owner = findRepoSourceUri(db, wanted);
  return owner === undefined || owner === uri ? wanted : `${wanted}-${sha256Hex(uri).slice(0, 8)}`;
}
