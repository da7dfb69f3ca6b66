import type { Octokit } from '@octokit/rest';
import type { Db } from '../../corpus/db.js';
import { InputError, UsageError } from '../../pipeline/errors.js';
import { getCachedResponse, putCachedResponse } from './github-store.js';
import { trimTrailingSlashes } from '../crawl-git.js';

export const DEFAULT_API_URL = 'https://api.github.com';

export interface GitHubClientOptions {
  /** Personal access token; sent only as a header, never logged or stored. @default process.env.GITHUB_TOKEN */
  token?: string;
  /** REST root, for GitHub Enterprise (`https://host/api/v3`) and tests. @default DEFAULT_API_URL */
  apiUrl?: string;
  /**
   * Milliseconds waited per second of Retry-After / rate-limit reset. 1000 honours
   * GitHub exactly; tests pass a few ms. @default 1000
   */
  retryAfterBaseMs?: number;
  /** Spacing of search requests: GitHub allows 30 a minute with a token. @default 2000 */
  searchIntervalMs?: number;
  /** Retries of a request after 5xx or network errors. @default 4 */
  maxRetries?: number;
  /** Waits for a primary or secondary rate limit before a request gives up. @default 20 */
  maxRateLimitWaits?: number;
  /** Where warnings go (rate-limit waits). @default nothing */
  log?: (message: string) => void;
  /**
   * Every API request goes through this limiter (archive downloads from the
   * codeload host do not): `crawl github --queue` passes one shared by all
   * workers through Redis, so N workers send what one limit allows, not N×.
   * @default none (the throttling plugin's own per-process limits only)
   */
  requestLimiter?: RequestLimiter;
}

/** Bottleneck's schedule(), or anything with its contract. */
export interface RequestLimiter {
  schedule<T>(fn: () => Promise<T>): Promise<T>;
}

/** What the crawl cost, for the bench and the summary line. */
export interface RequestStats {
  /** HTTP requests sent to the API (retries included). */
  sent: number;
  /** Conditional requests answered 304 (free under GitHub's rate limit). */
  notModified: number;
  /** Rate-limit waits (primary and secondary). */
  rateLimitWaits: number;
  /** Requests that failed for good after every retry. */
  failed: number;
}

export interface GitHubClient {
  readonly octokit: Octokit;
  readonly stats: RequestStats;
  /** GET a JSON route with the stored ETag; a 304 returns the stored body. */
  getJson<T>(route: string, params?: Record<string, unknown>): Promise<{ data: T; link: string | null; cached: boolean }>;
  /** GET a route without the ETag cache (search pages, redirects); errors become InputError. */
  get(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
}

/**
 * An Octokit with the official throttling and retry plugins, plus conditional
 * requests backed by the corpus database. Loaded lazily: `incorpus stats` never
 * pays for Octokit.
 */
export async function createGitHubClient(db: Db, opts: GitHubClientOptions = {}): Promise<GitHubClient> {
  const [{ Octokit }, { throttling }, { retry }, { default: Bottleneck }] = await Promise.all([
    import('@octokit/rest'), import('@octokit/plugin-throttling'), import('@octokit/plugin-retry'), import('bottleneck'),
  ]);
  const apiUrl = opts.apiUrl ?? DEFAULT_API_URL;
  // Said without echoing the URL: its user-info part may be a token.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(apiUrl)) throw new UsageError('--api-url must not carry credentials; put the token in GITHUB_TOKEN');
  if (!/^https?:\/\//i.test(apiUrl)) throw new UsageError(`--api-url must be an http(s) URL, got "${apiUrl}"`);
  const stats: RequestStats = { sent: 0, notModified: 0, rateLimitWaits: 0, failed: 0 };
  const log = opts.log ?? (() => {});
  const maxWaits = opts.maxRateLimitWaits ?? 20;
  const onLimit = (kind: string) => (retryAfter: number, o: { method: string; url: string }, _k: unknown, retryCount: number): boolean => {
    stats.rateLimitWaits++;
    log(`${kind} rate limit on ${o.method} ${o.url}: waiting ${retryAfter}s (wait ${retryCount + 1} of ${maxWaits})`);
    return retryCount < maxWaits;
  };
  const limiter = opts.requestLimiter;
  const countingFetch: typeof fetch = (input, init) => {
    if (limiter) {
      return limiter.schedule(() => {
        stats.sent++;
        return fetch(input, init);
      });
    }
    stats.sent++;
    return fetch(input, init);
  };
  const token = opts.token ?? process.env.GITHUB_TOKEN ?? undefined;
  const Client = Octokit.plugin(throttling, retry);
  const octokit = new Client({
    ...(token ? { auth: token } : {}),
    baseUrl: trimTrailingSlashes(apiUrl),
    userAgent: 'incorpus',
    request: { fetch: countingFetch },
    // Failed requests surface as our own errors; octokit's per-request error lines (a 304 is one) are noise.
    log: { debug: () => {}, info: () => {}, warn: log, error: () => {} },
    throttle: {
      id: `incorpus-${process.pid}-${Math.random().toString(36).slice(2)}`,
      retryAfterBaseValue: opts.retryAfterBaseMs ?? 1000,
      search: new Bottleneck.Group({ maxConcurrent: 1, minTime: opts.searchIntervalMs ?? 2000 }),
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
    // plugin-retry's list plus 409 (an empty repository stays empty); rate-limit 403/429 are the throttling plugin's.
    retry: { retries: opts.maxRetries ?? 4, retryAfterBaseValue: opts.retryAfterBaseMs ?? 1000, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
  }) as unknown as Octokit;

  const call = async (route: string, params: Record<string, unknown>) => {
    try {
      return await octokit.request(route, params);
    } catch (err) {
      if ((err as { status?: number }).status === 304) throw err;
      stats.failed++;
      throw toInputError(route, params, err);
    }
  };

  return {
    octokit,
    stats,
    async getJson<T>(route: string, params: Record<string, unknown> = {}) {
      const url = octokit.request.endpoint(route, params).url;
      const cached = getCachedResponse(db, url);
      try {
        const res = await call(route, { ...params, headers: { ...(cached ? { 'if-none-match': cached.etag } : {}) } });
        const link = (res.headers.link as string | undefined) ?? null;
        const etag = res.headers.etag as string | undefined;
        if (etag) putCachedResponse(db, url, { etag, body: JSON.stringify(res.data), link });
        return { data: res.data as T, link, cached: false };
      } catch (err) {
        if ((err as { status?: number }).status !== 304 || !cached) throw err;
        stats.notModified++;
        return { data: JSON.parse(cached.body) as T, link: cached.link, cached: true };
      }
    },
    async get(route: string, params: Record<string, unknown> = {}) {
      const res = await call(route, params);
      return { status: res.status, data: res.data, headers: res.headers as Record<string, unknown> };
    },
  };
}

/** GitHub's own message, the route and the status; never a header (the token lives there). */
function toInputError(route: string, params: Record<string, unknown>, err: unknown): InputError {
  const e = err as { status?: number; message?: string };
  const shown = route.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
  return new InputError(`GitHub request ${shown} failed${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message ?? String(err)}`, { cause: err });
}
