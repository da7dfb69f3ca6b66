import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixtureShapes, repoJson, type RepoFacts } from './github-fixture-shapes.js';
import { matchesQuery, matchingCodeFiles } from './github-fake-search.js';
import { buildTarGz, repoTarEntries } from './github-tarballs.js';

/** A repository the fake GitHub serves: facts, and files (or a ready-made, possibly hostile, archive). */
export interface FakeRepo extends Partial<Omit<RepoFacts, 'full_name'>> {
  full_name: string;
  files?: Record<string, string | Buffer>;
  tarball?: () => Promise<Buffer>;
  /** No commits yet: the commits route answers 409 as GitHub does. */
  empty?: boolean;
}

export interface FakeGitHubOptions {
  repos: FakeRepo[];
  /** Every Nth API request answers a secondary-limit 403 with Retry-After. */
  secondaryLimitEvery?: number;
  /** Every Nth API request answers a primary-limit 403 (x-ratelimit-remaining: 0). */
  primaryLimitEvery?: number;
  /** Every Nth API request answers 502. */
  serverErrorEvery?: number;
  /** Called when an archive is requested (tests kill a crawler here). */
  onArchive?: (fullName: string, n: number) => void;
}

export interface FakeGitHub {
  apiUrl: string;
  /** Every API request: method, path with query, status sent, whether it carried a token, and when it arrived (ms). */
  log: Array<{ path: string; status: number; auth: string | null; at: number }>;
  archives: string[];
  /** Authorization headers seen by the archive host (must stay empty). */
  archiveAuth: string[];
  update(fullName: string, files: Record<string, string | Buffer>): void;
  close(): Promise<void>;
}

const DAY = 86_400_000;

function factsOf(r: FakeRepo, i: number): RepoFacts & { sha: string } {
  const sha = createHash('sha1').update(JSON.stringify(Object.entries(r.files ?? {}).map(([k, v]) => [k, v.toString('base64')]))).update(r.full_name).digest('hex');
  return {
    id: 1000 + i, full_name: r.full_name, fork: r.fork ?? false, parent: r.parent ?? null, language: r.language ?? null,
    topics: r.topics ?? [], created_at: r.created_at ?? new Date(Date.UTC(2015, 0, 1) + i * DAY).toISOString().replace('.000', ''),
    pushed_at: r.pushed_at ?? '2024-01-01T00:00:00Z', size: r.size ?? 100, stars: r.stars ?? 0, forks: r.forks ?? 0,
    default_branch: r.default_branch ?? 'main', description: r.description ?? null, license: r.license ?? null, sha,
  };
}

/** Starts the fake GitHub (API and archive host on two ports: two origins) on 127.0.0.1. */
export async function startFakeGitHub(opts: FakeGitHubOptions): Promise<FakeGitHub> {
  const repos = new Map(opts.repos.map((r, i) => [r.full_name.toLowerCase(), { spec: r, facts: factsOf(r, i) }]));
  const log: FakeGitHub['log'] = [];
  const archives: string[] = [];
  const archiveAuth: string[] = [];
  const shapes = fixtureShapes();
  let n = 0;
  const archiveHost = await listen((req, res) => {
    if (req.headers.authorization) archiveAuth.push(req.headers.authorization);
    const m = /^\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]+)$/.exec(req.url ?? '');
    const repo = m ? repos.get(`${m[1]}/${m[2]}`.toLowerCase()) : undefined;
    if (!repo) return send(res, 404, {}, 'Not Found');
    archives.push(repo.facts.full_name);
    opts.onArchive?.(repo.facts.full_name, archives.length);
    const build = repo.spec.tarball ?? (() => buildTarGz(repoTarEntries(repo.facts.full_name, repo.facts.sha, repo.spec.files ?? {})));
    build().then((buf) => send(res, 200, { 'content-type': 'application/x-gzip', 'content-length': String(buf.length) }, buf), () => send(res, 500, {}, 'x'));
  });
  const api = await listen((req, res) => {
    n++;
    const reply = (status: number, headers: Record<string, string>, body: unknown): void => {
      log.push({ path: req.url ?? '', status, auth: req.headers.authorization ?? null, at: Date.now() });
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      send(res, status, { ...shapes.repoHeaders, 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), ...headers }, text);
    };
    if (opts.secondaryLimitEvery && n % opts.secondaryLimitEvery === 0) {
      return reply(403, { 'retry-after': '1' }, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' });
    }
    if (opts.primaryLimitEvery && n % opts.primaryLimitEvery === 0) {
      return reply(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) }, { message: 'API rate limit exceeded for user ID 1.' });
    }
    if (opts.serverErrorEvery && n % opts.serverErrorEvery === 0) return reply(502, {}, { message: 'Server Error' });
    const url = new URL(req.url ?? '/', apiUrl);
    const p = url.pathname;
    const json = (body: unknown, extra: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return reply(304, { etag, ...extra }, '');
      reply(200, { etag, ...extra }, text);
    };
    let m: RegExpExecArray | null;
    if (p === '/search/repositories') return search(url, json, reply);
    if (p === '/search/code') return searchCode(url, json);
    if ((m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(p))) {
      const r = repos.get(`${m[1]}/${m[2]}`.toLowerCase());
      if (!r) return reply(404, {}, { message: 'Not Found' });
      const parent = r.facts.parent ? repos.get(r.facts.parent.toLowerCase())?.facts ?? null : null;
      return json(repoJson(r.facts, apiUrl, parent));
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)$/.exec(p))) {
      const r = repos.get(`${m[1]}/${m[2]}`.toLowerCase());
      if (!r || !/application\/vnd\.github(?:\.v3)?\.sha/.test(String(req.headers.accept))) return reply(404, {}, { message: 'Not Found' });
      if (r.spec.empty) return reply(409, {}, { message: 'Git Repository is empty.', documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit' });
      const etag = `"${r.facts.sha}"`;
      if (req.headers['if-none-match'] === etag) return reply(304, { etag }, '');
      return reply(200, { etag, 'content-type': 'application/vnd.github.sha; charset=utf-8' }, r.facts.sha);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/tarball\/([^/]+)$/.exec(p))) {
      const r = repos.get(`${m[1]}/${m[2]}`.toLowerCase());
      if (!r) return reply(404, {}, { message: 'Not Found' });
      return reply(302, { ...shapes.archiveRedirect, location: `${archiveUrl}/${r.facts.full_name}/legacy.tar.gz/${m[3]}`, 'content-length': '0' }, '');
    }
    if ((m = /^\/users\/([^/]+)\/repos$/.exec(p))) {
      const owned = [...repos.values()].filter((r) => r.facts.full_name.toLowerCase().startsWith(`${m![1]!.toLowerCase()}/`));
      return json(owned.map((r) => repoJson(r.facts, apiUrl)));
    }
    reply(404, {}, { message: 'Not Found' });
  });
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const archiveUrl = `http://127.0.0.1:${(archiveHost.address() as AddressInfo).port}`;

  function search(url: URL, json: (b: unknown, h?: Record<string, string>) => void, reply: (s: number, h: Record<string, string>, b: unknown) => void): void {
    const q = url.searchParams.get('q') ?? '';
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const hits = [...repos.values()].map((r) => r.facts).filter((f) => matchesQuery(f, q))
      .sort((a, b) => b.stars - a.stars || a.full_name.localeCompare(b.full_name));
    const reachable = Math.min(hits.length, 1000);
    if ((page - 1) * perPage >= 1000) return reply(422, shapes.searchHeaders, { message: 'Only the first 1000 search results are available', documentation_url: 'https://docs.github.com/v3/search/' });
    const items = hits.slice((page - 1) * perPage, Math.min(page * perPage, reachable)).map((f) => ({ ...repoJson(f, apiUrl), score: 1 }));
    const last = Math.max(1, Math.ceil(reachable / perPage));
    const link = (k: number, rel: string) => `<${apiUrl}/search/repositories?q=${encodeURIComponent(q)}&per_page=${perPage}&page=${k}>; rel="${rel}"`;
    const links = [page < last ? link(page + 1, 'next') : '', page < last ? link(last, 'last') : '', page > 1 ? link(1, 'first') : ''].filter(Boolean);
    json({ total_count: hits.length, incomplete_results: false, items }, { ...shapes.searchHeaders, 'x-ratelimit-limit': '30', ...(links.length ? { link: links.join(', ') } : {}) });
  }

  /** `GET /search/code`: the search envelope with file items naming their repository (no fixture records this route). */
  function searchCode(url: URL, json: (b: unknown, h?: Record<string, string>) => void): void {
    const q = url.searchParams.get('q') ?? '';
    const hits = [...repos.values()].flatMap((r) => matchingCodeFiles(r.spec.files ?? {}, q).map((path) => ({ path, r })));
    const page = Number(url.searchParams.get('page') ?? 1);
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const items = hits.slice((page - 1) * perPage, page * perPage).map(({ path, r }) => ({
      name: path.split('/').pop(), path, sha: r.facts.sha, url: `${apiUrl}/repos/${r.facts.full_name}/contents/${path}`, score: 1,
      repository: { id: r.facts.id, full_name: r.facts.full_name, fork: r.facts.fork, url: `${apiUrl}/repos/${r.facts.full_name}` },
    }));
    const next: Record<string, string> = page * perPage < Math.min(hits.length, 1000) ? { link: `<${apiUrl}/search/code?q=${encodeURIComponent(q)}&page=${page + 1}>; rel="next"` } : {};
    json({ total_count: hits.length, incomplete_results: false, items }, { ...shapes.searchHeaders, ...next });
  }

  return {
    apiUrl, log, archives, archiveAuth,
    update(fullName, files) {
      const r = repos.get(fullName.toLowerCase())!;
      r.spec.files = files;
      r.facts = { ...factsOf(r.spec, r.facts.id - 1000), pushed_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
    },
    close: () => Promise.all([close(api), close(archiveHost)]).then(() => {}),
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, headers);
  res.end(status === 304 ? undefined : body);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const s = createServer(handler);
  s.keepAliveTimeout = 1000;
  return new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(s)));
}

function close(s: Server): Promise<void> {
  s.closeAllConnections();
  return new Promise((ok) => s.close(() => ok()));
}
