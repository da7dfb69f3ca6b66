import { readFileSync } from 'node:fs';
import type { Db } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { InputError, UsageError } from '../../pipeline/errors.js';
import { htmlSnippet } from '../../ocr/listing-snippets.js';
import { silentProgress, type Progress } from '../../pipeline/progress.js';
import { redactUrl } from '../crawl-git.js';
import { slugify, storeExtract, type LiteratureExtract, type LiteratureOutcome } from '../store-snippets.js';
import { extractCodeBlocks } from './extract-code-blocks.js';
import { fetchText } from './fetch-text.js';
import { createHostRateLimit } from './host-rate-limit.js';
import { createRobotsPolicy } from './robots.js';
import { readSitemap } from './sitemap.js';

export interface CrawlWebOptions {
  /** A file with one URL per line (`#` comments allowed). */
  urlsFile?: string;
  /** A sitemap URL; its pages are crawled. */
  sitemap?: string;
  /** Least time between two requests to one host; a longer robots.txt Crawl-delay wins. @default 1000 ms */
  delayMs?: number;
  /** @default 1000 */
  maxPages?: number;
  /** @default 30 s */
  timeoutMs?: number;
  /** @default 8 MiB */
  maxPageBytes?: number;
  /** Sent as User-Agent and matched against robots.txt groups. @default 'incorpus' */
  userAgent?: string;
  /** Spaces requests to one host (`delayMs` apart). @default one per process (createHostRateLimit); `--queue` shares one in Redis */
  hostLimit?: HostLimit;
  progress?: Progress;
}

/** Waits until a request to `host` may start, at least `delayMs` after the previous one. */
export type HostLimit = (host: string, delayMs: number) => Promise<void>;

/** What fetching a page needs besides its URL: robots.txt, politeness, the fetch limits. */
export interface WebSession {
  fetchOpts: { userAgent: string; timeoutMs: number; maxBytes: number };
  allowed: (u: string) => Promise<boolean>;
  polite: (u: string) => Promise<void>;
}

/** robots.txt (cached per host) and the per-host spacing, as one crawl (or one queue job) uses them. */
export function createWebSession(opts: Pick<CrawlWebOptions, 'userAgent' | 'timeoutMs' | 'maxPageBytes' | 'delayMs' | 'hostLimit'>): WebSession {
  const ua = opts.userAgent ?? 'incorpus';
  const fetchOpts = { userAgent: ua, timeoutMs: opts.timeoutMs ?? 30_000, maxBytes: opts.maxPageBytes ?? 8 * 1024 * 1024 };
  const robots = createRobotsPolicy(ua, fetchOpts);
  const limit = opts.hostLimit ?? createHostRateLimit();
  const polite = async (url: string): Promise<void> => limit(new URL(url).host, Math.max(opts.delayMs ?? 1000, await robots.delayMs(url)));
  return { fetchOpts, allowed: robots.allowed, polite };
}

/** The pages a crawl visits, in order: the URL file, then the sitemap's pages (fetched politely), deduplicated, capped. */
export function listWebUrls(opts: CrawlWebOptions, session: WebSession): Promise<string[]> {
  return listUrls(opts, async (u) => {
    if (!(await session.allowed(u))) throw new InputError(`robots.txt disallows ${u}`);
    await session.polite(u);
  });
}

/**
 * `incorpus crawl web`: every page is a repository (`web/<host>/<path>`) whose
 * files are its `<pre>`/`<code>` blocks. robots.txt is honoured for pages and
 * sitemaps, requests to a host are spaced by the rate limit, and a page that
 * fails or is disallowed is recorded with its reason.
 */
export async function crawlWeb(db: Db, opts: CrawlWebOptions): Promise<LiteratureOutcome[]> {
  const session = createWebSession(opts);
  const urls = await listWebUrls(opts, session);
  const progress = opts.progress ?? silentProgress;
  progress.total(urls.length);
  const out: LiteratureOutcome[] = [];
  try {
    for (const url of urls) {
      out.push(storeExtract(db, await extractPage(url, session)));
      progress.tick(1, url);
    }
  } finally {
    progress.done();
  }
  return out;
}

/** Fetches one page and extracts its code blocks; touches no corpus (a queue worker runs it: queue/literature-job.ts). */
export async function extractPage(url: string, session: WebSession): Promise<LiteratureExtract> {
  const started = Date.now();
  const uri = redactUrl(url);
  const record = (status: 'ok' | 'failed', reason: string | null, extra: Partial<LiteratureExtract> = {}): LiteratureExtract =>
    ({ kind: 'web', uri, wantedRepo: null, sha256: null, title: null, pages: 1, pagesText: null, pagesOcr: null, status, reason, elapsedMs: Date.now() - started, snippets: [], ...extra });
  if (!(await session.allowed(url))) return record('failed', 'disallowed by robots.txt');
  await session.polite(url);
  const r = await fetchText(url, session.fetchOpts);
  if (!r.ok) return record('failed', r.reason);
  if (!/html|xml|^$/i.test(r.contentType)) return record('failed', `not an HTML page (${r.contentType})`);
  const page = extractCodeBlocks(r.text);
  const snippets = page.blocks.map((b, i) => {
    const s = htmlSnippet(b.text, { caption: b.caption, context: b.context, language: b.language });
    return { path: `block-${String(i + 1).padStart(2, '0')}.${s.ext}`, snippet: s };
  });
  const u = new URL(uri);
  return record('ok', null, { wantedRepo: `web/${slugify(`${u.host}${u.pathname}${u.search}`)}`, sha256: sha256Hex(r.text), title: page.title, snippets });
}

async function listUrls(opts: CrawlWebOptions, beforeSitemap: (u: string) => Promise<void>): Promise<string[]> {
  if (!opts.urlsFile && !opts.sitemap) throw new UsageError('crawl web needs --urls <file> or --sitemap <url>');
  const max = opts.maxPages ?? 1000;
  const urls: string[] = [];
  if (opts.urlsFile) {
    let text: string;
    try {
      text = readFileSync(opts.urlsFile, 'utf8');
    } catch {
      throw new InputError(`cannot read URL list ${opts.urlsFile}`);
    }
    for (const line of text.split('\n')) {
      const u = line.replace(/#.*/, '').trim();
      if (!u) continue;
      if (!/^https?:\/\//i.test(u)) throw new InputError(`not an http(s) URL in ${opts.urlsFile}: ${u}`);
      urls.push(u);
    }
  }
  if (opts.sitemap && !/^https?:\/\//i.test(opts.sitemap)) throw new InputError(`--sitemap must be an http(s) URL, got ${opts.sitemap}`);
  if (opts.sitemap) urls.push(...(await readSitemap(opts.sitemap, { maxUrls: max, beforeFetch: beforeSitemap })));
  return [...new Set(urls)].slice(0, max);
}
