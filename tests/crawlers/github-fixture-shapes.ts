import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.js';

/**
 * Response shapes for the fake GitHub, read at test time from the recorded real
 * responses in the installed `@octokit/fixtures` package (never copied into the repo).
 */
interface Recorded {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | number>;
  response: unknown;
}

const SCENARIOS = join(REPO_ROOT, 'node_modules', '@octokit', 'fixtures', 'scenarios', 'api.github.com');

function recorded(scenario: string): Recorded[] {
  return JSON.parse(readFileSync(join(SCENARIOS, scenario, 'normalized-fixture.json'), 'utf8')) as Recorded[];
}

let cache: { repo: Record<string, unknown>; repoHeaders: Record<string, string>; searchHeaders: Record<string, string>; archiveRedirect: Record<string, string> } | null = null;

/** Header names GitHub sends that the fake keeps (the rest are CDN/security noise or computed per response). */
const KEPT = /^(content-type|cache-control|x-github-media-type|x-ratelimit-limit|x-ratelimit-resource|access-control-expose-headers|vary)$/;

function keptHeaders(h: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => KEPT.test(k)).map(([k, v]) => [k, String(v)]));
}

export function fixtureShapes() {
  if (cache) return cache;
  const repo = recorded('get-repository')[0]!;
  const search = recorded('search-issues')[0]!;
  const archive = recorded('get-archive').find((r) => r.status === 302)!;
  cache = {
    repo: repo.response as Record<string, unknown>,
    repoHeaders: keptHeaders(repo.headers),
    searchHeaders: keptHeaders(search.headers),
    archiveRedirect: keptHeaders(archive.headers),
  };
  return cache;
}

export interface RepoFacts {
  id: number;
  full_name: string;
  fork: boolean;
  parent: string | null;
  language: string | null;
  topics: string[];
  created_at: string;
  pushed_at: string;
  size: number;
  stars: number;
  forks: number;
  default_branch: string;
  description: string | null;
  license: string | null;
}

/** A repository object in GitHub's recorded shape with our facts filled in. */
export function repoJson(f: RepoFacts, base: string, withParent: RepoFacts | null = null): Record<string, unknown> {
  const t = fixtureShapes().repo;
  const [owner, name] = f.full_name.split('/') as [string, string];
  const tOwner = t.owner as Record<string, unknown>;
  const out: Record<string, unknown> = {
    ...t,
    id: f.id,
    name,
    full_name: f.full_name,
    owner: { ...tOwner, login: owner, url: `${base}/users/${owner}`, html_url: `https://github.com/${owner}` },
    html_url: `https://github.com/${f.full_name}`,
    url: `${base}/repos/${f.full_name}`,
    description: f.description,
    fork: f.fork,
    created_at: f.created_at,
    updated_at: f.pushed_at,
    pushed_at: f.pushed_at,
    size: f.size,
    stargazers_count: f.stars,
    watchers_count: f.stars,
    watchers: f.stars,
    forks_count: f.forks,
    forks: f.forks,
    language: f.language,
    topics: f.topics,
    archived: false,
    default_branch: f.default_branch,
    license: f.license ? { key: f.license.toLowerCase(), name: f.license, spdx_id: f.license, url: null, node_id: 'MDc6TGljZW5zZTE=' } : null,
  };
  delete out.permissions;
  delete out.temp_clone_token;
  if (withParent) out.parent = repoJson(withParent, base);
  return out;
}
