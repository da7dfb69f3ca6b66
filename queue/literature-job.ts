import { performance } from 'node:perf_hooks';
import type { Db } from '../corpus/db.js';
import { createSharedOcr } from '../ocr/shared-ocr.js';
import { silentProgress } from '../pipeline/progress.js';
import { extractPdf } from '../crawlers/pdf/crawl-pdf.js';
import { storeExtract, type LiteratureExtract, type LiteratureOutcome } from '../crawlers/store-snippets.js';
import { createWebSession, extractPage, type HostLimit } from '../crawlers/web/crawl-web.js';
import { makeJobId } from './job-id.js';
import type { JobSummary, LiteratureJobData } from './job-types.js';
import type { QueueConnection } from './queue-url.js';
import { createSharedLimiter, type SharedLimiter } from './shared-limiter.js';
import type { JobStore } from './store-dir.js';

export const LITERATURE_KIND = 'literature';

/**
 * A document's job id: the crawler, the document (for a local file its size
 * and modification time too), every option that shapes the extract, the
 * corpus and `run` — the corpus's last crawl when the command planned — so a
 * re-run of an interrupted command reuses the extracts, a later crawl of the
 * same document fetches it again as in-process.
 */
export function literatureJobId(d: LiteratureJobData, run: string): string {
  return makeJobId(LITERATURE_KIND, [run, d.source, d.pdf ?? null, d.url ?? null, d.pdfOptions ?? null, d.web ?? null]);
}

/** The Redis key of one host's politeness limiter (per delay: a limiter's spacing is fixed when it is made). */
export function webLimiterId(host: string, delayMs: number): string {
  return `incorpus-web:${host}:${delayMs}`;
}

/**
 * Per-host spacing shared by every process through Redis (Bottleneck, as the
 * GitHub limiter): a request to a host starts at least `delayMs` after the
 * previous one to that host from any worker or the coordinator, so N workers
 * are one polite client. Limiters are made on first use and closed by `close`.
 */
export function createSharedHostLimit(connection: QueueConnection): { limit: HostLimit; close(): Promise<void> } {
  const limiters = new Map<string, Promise<SharedLimiter>>();
  return {
    async limit(host, delayMs) {
      const id = webLimiterId(host, delayMs);
      let l = limiters.get(id);
      if (!l) limiters.set(id, (l = createSharedLimiter(connection, id, delayMs, 1)));
      await (await l).schedule(async () => undefined);
    },
    async close() {
      for (const l of limiters.values()) await (await l).close();
    },
  };
}

/**
 * Worker side: the crawler's own extract half (fetch, parse, OCR; no corpus)
 * for one document or page. The extract goes into the job's completion
 * marker; the coordinator stores it in input order.
 */
export async function runLiteratureJob(d: LiteratureJobData, store: JobStore, id: string, connection: QueueConnection): Promise<JobSummary> {
  const started = performance.now();
  let extract: LiteratureExtract;
  if (d.source === 'pdf') {
    const o = d.pdfOptions!;
    const sharedOcr = createSharedOcr({ workers: o.ocrWorkers });
    try {
      extract = await extractPdf(d.pdf!, o, silentProgress, sharedOcr);
    } finally {
      await sharedOcr.close();
    }
  } else {
    const hosts = createSharedHostLimit(connection);
    try {
      extract = await extractPage(d.url!, createWebSession({ ...d.web!, hostLimit: hosts.limit }));
    } finally {
      await hosts.close();
    }
  }
  const summary: JobSummary = { id, kind: 'literature', items: extract.snippets.length, ms: Math.round(performance.now() - started) };
  store.markDone(LITERATURE_KIND, id, { ...summary, extract });
  return summary;
}

/** Coordinator side: the job's extract stored as the in-process crawler stores it (repository name made unique here, in input order). */
export function mergeLiteratureJob(db: Db, store: JobStore, id: string): LiteratureOutcome {
  const { extract } = store.readSummary(LITERATURE_KIND, id) as { extract: LiteratureExtract };
  return storeExtract(db, extract);
}
