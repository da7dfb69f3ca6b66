import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Db } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { InputError } from '../../pipeline/errors.js';
import { extractWithBudget, type BudgetOptions } from '../../ocr/extract-with-budget.js';
import { createSharedOcr, type SharedOcr } from '../../ocr/shared-ocr.js';
import type { Snippet } from '../../ocr/listing-snippets.js';
import { silentProgress, type Progress } from '../../pipeline/progress.js';
import { redactUrl } from '../crawl-git.js';
import { slugify, storeExtract, type LiteratureExtract, type LiteratureOutcome } from '../store-snippets.js';
import { walkDir } from '../walk-dir.js';
import { fetchDocument } from './fetch-document.js';

export interface CrawlPdfOptions extends Omit<BudgetOptions, 'onPage'> {
  /** A PDF file, a directory searched for `*.pdf`, or an http(s) URL. */
  target: string;
  /** Files larger than this are recorded as failed without being parsed. @default 256 MiB */
  maxFileBytes?: number;
  progress?: Progress;
}

/**
 * `incorpus crawl pdf`: each PDF becomes a repository (`pdf/<file name>`)
 * whose files are its listings. A document that is encrypted, broken, too big,
 * too slow or too hungry is recorded with its reason and the crawl moves on.
 */
export async function crawlPdf(db: Db, opts: CrawlPdfOptions): Promise<LiteratureOutcome[]> {
  const progress = opts.progress ?? silentProgress;
  const targets = listTargets(opts.target);
  const out: LiteratureOutcome[] = [];
  // One OCR pool for every document of the crawl (started on the first scanned page).
  const sharedOcr = createSharedOcr({ workers: opts.ocrWorkers });
  try {
    for (const t of targets) {
      progress.tick(0, t.label);
      out.push(storeExtract(db, await extractPdf(t, opts, progress, sharedOcr)));
    }
  } finally {
    await sharedOcr.close();
    progress.done();
  }
  return out;
}

/** One document to crawl: `fetch` is the URL to download (credentials kept), else `uri` is a local file. */
export interface PdfTarget {
  uri: string;
  label: string;
  fetch?: string;
}

/** The documents `target` names, in crawl order (a directory's PDFs as the walk finds them). */
export function listTargets(target: string): PdfTarget[] {
  if (/^https?:\/\//i.test(target)) {
    const uri = redactUrl(target);
    return [{ uri, label: uri, fetch: target }];
  }
  const abs = resolve(target);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new InputError(`cannot crawl ${target}: no such file or directory`);
  }
  const files = isDir ? [...walkDir(abs)].filter((e) => e.kind === 'file' && /\.pdf$/i.test(e.relPath)).map((e) => e.absPath) : [abs];
  if (files.length === 0) throw new InputError(`no *.pdf files under ${target}`);
  return files.map((f) => ({ uri: f, label: basename(f) }));
}

/**
 * Reads one document and extracts its listings; touches no corpus, so a queue
 * worker can run it (queue/literature-job.ts). A failure is an extract with
 * its reason, never a throw.
 */
export async function extractPdf(t: PdfTarget, opts: Omit<CrawlPdfOptions, 'target' | 'progress'>, progress: Progress, sharedOcr: SharedOcr): Promise<LiteratureExtract> {
  const started = Date.now();
  const failed = (reason: string, sha256: string | null = null, pages: number | null = null): LiteratureExtract =>
    ({ kind: 'pdf', uri: t.uri, wantedRepo: null, sha256, title: null, pages, pagesText: null, pagesOcr: null, status: 'failed', reason, elapsedMs: Date.now() - started, snippets: [] });
  let data: Uint8Array;
  try {
    const maxFile = opts.maxFileBytes ?? 256 * 1024 * 1024;
    if (!/^https?:/.test(t.uri) && statSync(t.uri).size > maxFile) return failed(`file is over the ${maxFile}-byte cap`);
    data = t.fetch !== undefined ? await fetchDocument(t.fetch) : new Uint8Array(readFileSync(t.uri));
  } catch (err) {
    return failed((err as Error).message);
  }
  const sha256 = sha256Hex(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  if (!Buffer.from(data.subarray(0, 1024)).includes('%PDF-')) return failed('not a PDF (no %PDF- header)', sha256);
  const r = await extractWithBudget(data, { ...opts, sharedOcr, onPage: () => progress.tick(1) });
  if (!r.ok) return failed(r.error, sha256);
  const res = r.result;
  const partial = res.skipped.length > 0;
  return {
    kind: 'pdf',
    uri: t.uri,
    wantedRepo: `pdf/${slugify(basename(t.uri).replace(/\.pdf$/i, ''))}`,
    sha256,
    title: res.title,
    pages: res.pages,
    pagesText: res.pagesText,
    pagesOcr: res.pagesOcr,
    status: partial ? 'partial' : 'ok',
    reason: partial ? summarizeSkipped(res.skipped) : null,
    elapsedMs: Date.now() - started,
    snippets: nameSnippets(res.snippets),
  };
}

/** `p0012-listing-03.v`: page, order on that page, and an extension for the language. */
export function nameSnippets(snippets: readonly Snippet[]): Array<{ path: string; snippet: Snippet }> {
  const perPage = new Map<number, number>();
  return snippets.map((s) => {
    const page = s.pageFrom ?? 0;
    const n = (perPage.get(page) ?? 0) + 1;
    perPage.set(page, n);
    return { path: `p${String(page).padStart(4, '0')}-listing-${String(n).padStart(2, '0')}.${s.ext}`, snippet: s };
  });
}

function summarizeSkipped(skipped: ReadonlyArray<{ page: number; reason: string }>): string {
  const first = skipped.slice(0, 3).map((s) => `page ${s.page}: ${s.reason}`).join('; ');
  return skipped.length > 3 ? `${first}; and ${skipped.length - 3} more pages` : first;
}
