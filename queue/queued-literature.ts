import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openCorpus, type Db } from '../corpus/db.js';
import { lastCrawlId } from '../corpus/raw-store.js';
import { listTargets, type CrawlPdfOptions } from '../crawlers/pdf/crawl-pdf.js';
import type { LiteratureOutcome } from '../crawlers/store-snippets.js';
import { createWebSession, listWebUrls, type CrawlWebOptions } from '../crawlers/web/crawl-web.js';
import type { Progress } from '../pipeline/progress.js';
import { runJobs, type PlannedJob } from './coordinator.js';
import type { LiteratureJobData } from './job-types.js';
import { createSharedHostLimit, LITERATURE_KIND, literatureJobId, mergeLiteratureJob } from './literature-job.js';
import type { QueueConnection } from './queue-url.js';
import { openJobStore, type JobStore } from './store-dir.js';

export interface QueuedLiteratureOptions {
  connection: QueueConnection;
  store: string;
  progress?: Progress;
}

/** What makes this command's jobs its own: the corpus and its last crawl when the command planned (see literatureJobId). */
function runToken(db: Db, absDb: string): string {
  return `${absDb}#after-crawl-${lastCrawlId(db)}`;
}

/** Runs the planned document jobs, then stores their extracts in plan order — the in-process crawl's order. */
async function runAndStore(db: Db, jobs: PlannedJob[], store: JobStore, q: QueuedLiteratureOptions): Promise<LiteratureOutcome[]> {
  await runJobs(jobs, { connection: q.connection, store, ...(q.progress ? { progress: q.progress } : {}) });
  return jobs.map((j) => mergeLiteratureJob(db, store, j.id));
}

/**
 * `crawl pdf … --queue`: one job per document (a directory's PDFs in walk
 * order). Workers read, parse and OCR (each job its own OCR pool); the
 * extracts are stored here in document order, so the corpus gets what the
 * in-process crawl stores (repository names, files, snippets, reasons).
 */
export async function queuedCrawlPdf(dbPath: string, opts: Omit<CrawlPdfOptions, 'progress'>, q: QueuedLiteratureOptions): Promise<LiteratureOutcome[]> {
  const { target, ...pdfOptions } = opts;
  const targets = listTargets(target);
  const store = openJobStore(q.store);
  const absDb = resolve(dbPath);
  const db = openCorpus(absDb);
  try {
    const run = runToken(db, absDb);
    const jobs = targets.map((t): PlannedJob => {
      const data: LiteratureJobData = { kind: 'literature', store: store.root, source: 'pdf', pdf: t, pdfOptions };
      // A local file: its size and mtime in the id, so an edited document is read again.
      const file = t.fetch === undefined ? fileStamp(t.uri) : null;
      return { id: literatureJobId(data, `${run}#${file ?? ''}`), kind: LITERATURE_KIND, data, label: t.label };
    });
    return await runAndStore(db, jobs, store, q);
  } finally {
    db.close();
  }
}

function fileStamp(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * `crawl web … --queue`: the URL list and sitemap are read here (politely,
 * through the shared per-host limiter), then one job per page. Every request
 * of every worker to a host is spaced by one limiter in Redis, as one
 * in-process crawl spaces its own; the extracts are stored in page order.
 */
export async function queuedCrawlWeb(dbPath: string, opts: Omit<CrawlWebOptions, 'progress' | 'hostLimit'>, q: QueuedLiteratureOptions): Promise<LiteratureOutcome[]> {
  const hosts = createSharedHostLimit(q.connection);
  const store = openJobStore(q.store);
  const absDb = resolve(dbPath);
  const db = openCorpus(absDb);
  try {
    const urls = await listWebUrls(opts, createWebSession({ ...opts, hostLimit: hosts.limit }));
    const run = runToken(db, absDb);
    const web = { userAgent: opts.userAgent ?? 'incorpus', timeoutMs: opts.timeoutMs ?? 30_000, maxPageBytes: opts.maxPageBytes ?? 8 * 1024 * 1024, delayMs: opts.delayMs ?? 1000 };
    const jobs = urls.map((url): PlannedJob => {
      const data: LiteratureJobData = { kind: 'literature', store: store.root, source: 'web', url, web };
      return { id: literatureJobId(data, run), kind: LITERATURE_KIND, data, label: url };
    });
    return await runAndStore(db, jobs, store, q);
  } finally {
    db.close();
    await hosts.close();
  }
}
