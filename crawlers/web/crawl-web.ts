import { readFileSync } from 'node:fs';
import type { Db } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { InputError, UsageError } from '../../pipeline/errors.js';
import { htmlSnippet } from '../../ocr/listing-snippets.js';
import { silentProgress, type Progress } from '../../pipeline/progress.js';
import { redactUrl } from '../crawl-git.js';
import { slugify, storeLiterature, uniqueRepoName, type LiteratureOutcome } from '../store-snippets.js';
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
  progress?: Progress;
}

/**
 * `incorpus crawl web`: every page is a repository (`web/<host>/<path>`) whose
 * files are its `<pre>`/`<code>` blocks. robots.txt is honoured for pages and
 * sitemaps, requests to a host are spaced by the rate limit, and a page that
 * fails or is disallowed is recorded with its reason.
 */
export async function crawlWeb(db: Db, opts: CrawlWebOptions): Promise<LiteratureOutcome[]> {
  const ua = opts.userAgent ?? 'incorpus';
  const fetchOpts = { userAgent: ua, timeoutMs: opts.timeoutMs ?? 30_000, maxBytes: opts.maxPageBytes ?? 8 * 1024 * 1024 };
  const robots = createRobotsPolicy(ua, fetchOpts);
  const limit = createHostRateLimit();
  const polite = async (url: string): Promise<void> => limit(new URL(url).host, Math.max(opts.delayMs ?? 1000, await robots.delayMs(url)));
  const urls = await listUrls(opts, async (u) => {
    if (!(await robots.allowed(u))) throw new InputError(`robots.txt disallows ${u}`);
    await polite(u);
  });
  const progress = opts.progress ?? silentProgress;
  progress.total(urls.length);
  const out: LiteratureOutcome[] = [];
  try {
    for (const url of urls) {
      out.push(await crawlPage(db, url, fetchOpts, robots.allowed, polite));
      progress.tick(1, url);
    }
  } finally {
    progress.done();
  }
  return out;
}

async function crawlPage(
  db: Db,
  url: string,
  fetchOpts: { userAgent: string; timeoutMs: number; maxBytes: number },
  allowed: (u: string) => Promise<boolean>,
  polite: (u: string) => Promise<void>,
): Promise<LiteratureOutcome> {
  const started = Date.now();
  const uri = redactUrl(url);
  const record = (status: 'ok' | 'failed', reason: string | null, extra: Partial<Parameters<typeof storeLiterature>[1]> = {}): LiteratureOutcome =>
    storeLiterature(db, { kind: 'web', uri, repo: null, sha256: null, title: null, pages: 1, pagesText: null, pagesOcr: null, status, reason, elapsedMs: Date.now() - started, snippets: [], ...extra });
  if (!(await allowed(url))) return record('failed', 'disallowed by robots.txt');
  await polite(url);
  const r = await fetchText(url, fetchOpts);
  if (!r.ok) return record('failed', r.reason);
  if (!/html|xml|^$/i.test(r.contentType)) return record('failed', `not an HTML page (${r.contentType})`);
  const page = extractCodeBlocks(r.text);
  const snippets = page.blocks.map((b, i) => {
    const s = htmlSnippet(b.text, { caption: b.caption, context: b.context, language: b.language });
    return { path: `block-${String(i + 1).padStart(2, '0')}.${s.ext}`, snippet: s };
  });
  const u = new URL(uri);
  const repo = uniqueRepoName(db, `web/${slugify(`${u.host}${u.pathname}${u.search}`)}`, uri);
  return record('ok', null, { repo, sha256: sha256Hex(r.text), title: page.title, snippets });
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
