import { Parser } from 'htmlparser2';
import { fetchText, type FetchTextOptions } from './fetch-text.js';

export interface SitemapOptions extends FetchTextOptions {
  /** Most page URLs returned. @default 1000 */
  maxUrls?: number;
  /** Nested sitemap indexes followed this deep. @default 2 */
  maxDepth?: number;
  /** Called before each sitemap request (the crawler's robots check and rate limit). */
  beforeFetch?: (url: string) => Promise<void>;
}

/** Page URLs of a sitemap (sitemaps.org protocol), following sitemap indexes. */
export async function readSitemap(url: string, opts: SitemapOptions = {}): Promise<string[]> {
  const maxUrls = opts.maxUrls ?? 1000;
  const pages: string[] = [];
  const visit = async (u: string, depth: number): Promise<void> => {
    if (pages.length >= maxUrls) return;
    await opts.beforeFetch?.(u);
    const r = await fetchText(u, opts);
    if (!r.ok) throw new Error(`sitemap ${u}: ${r.reason}`);
    const { urls, sitemaps } = parseSitemap(r.text);
    for (const p of urls.map((p) => httpUrl(p, u))) if (p && pages.length < maxUrls) pages.push(p);
    if (depth < (opts.maxDepth ?? 2)) for (const s of sitemaps.map((s) => httpUrl(s, u))) if (s) await visit(s, depth + 1);
  };
  await visit(url, 0);
  return pages;
}

/**
 * A `<loc>` resolved against its sitemap, or null unless it is http(s): a hostile
 * sitemap must not point the crawler at `file:`, `data:` or other schemes.
 */
function httpUrl(loc: string, base: string): string | null {
  try {
    const u = new URL(loc, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** `<url><loc>` entries are pages; `<sitemap><loc>` entries are nested sitemaps. */
export function parseSitemap(xml: string): { urls: string[]; sitemaps: string[] } {
  const urls: string[] = [];
  const sitemaps: string[] = [];
  const stack: string[] = [];
  let loc: string | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        stack.push(name.replace(/^.*:/, ''));
        if (stack[stack.length - 1] === 'loc') loc = '';
      },
      ontext(text) {
        if (loc !== null) loc += text;
      },
      onclosetag() {
        const name = stack.pop();
        if (name === 'loc' && loc !== null) {
          const parent = stack[stack.length - 1];
          if (loc.trim()) (parent === 'sitemap' ? sitemaps : urls).push(loc.trim());
          loc = null;
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { urls, sitemaps };
}
