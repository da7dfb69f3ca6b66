import { InputError } from '../../pipeline/errors.js';
import type { RepoGithubFacts } from './github-store.js';
import type { RepoInput } from '../../corpus/raw-store.js';

/** The fields of GitHub's repository object (search item or `GET /repos/{owner}/{repo}`) we read. */
export interface ApiRepo {
  full_name: string;
  html_url?: string;
  fork?: boolean;
  parent?: { full_name: string } | null;
  stargazers_count?: number;
  forks_count?: number;
  topics?: string[];
  archived?: boolean;
  pushed_at?: string | null;
  created_at?: string | null;
  default_branch?: string;
  language?: string | null;
  size?: number;
  description?: string | null;
  owner?: { login: string };
  license?: { spdx_id?: string | null; key?: string | null } | null;
}

/** Only the fields incorpus reads: a search item is ~6 KB, this is ~0.5 KB in the queue. */
export function slimRepo(r: ApiRepo): ApiRepo {
  const { full_name, html_url, fork, parent, stargazers_count, forks_count, topics, archived, pushed_at, created_at, default_branch, language, size, description, owner, license } = r;
  return {
    full_name, html_url, fork, parent: parent ? { full_name: parent.full_name } : parent, stargazers_count, forks_count, topics, archived,
    pushed_at, created_at, default_branch, language, size, description, owner: owner ? { login: owner.login } : owner,
    license: license ? { spdx_id: license.spdx_id ?? null, key: license.key ?? null } : license,
  };
}

/**
 * `owner/name` by GitHub's slug rules: an owner is 1-39 letters, digits and single
 * hyphens, neither first nor last; a name is 1-100 of `A-Za-z0-9._-`, not `.`/`..`.
 * A name starting with `-` is refused too: slugs come from crawled manifests, and
 * nothing option-shaped may travel on from here.
 */
export function parseRepoSlug(slug: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})\/([A-Za-z0-9._][A-Za-z0-9._-]{0,99})$/.exec(slug.trim());
  if (!m || m[1]!.length > 39 || m[2] === '.' || m[2] === '..') throw new InputError(`"${slug}" is not a GitHub repository: expected owner/name`);
  return { owner: m[1]!, repo: m[2]! };
}

/**
 * The API's license claim as an SPDX id. `NOASSERTION` (GitHub found a license
 * file it could not name) is kept: license detection weighs it as evidence.
 */
export function licenseClaimOf(r: ApiRepo): string | null {
  return r.license?.spdx_id ?? r.license?.key ?? null;
}

/** Provenance for the raw store's repos table. */
export function toRepoInput(r: ApiRepo, commitSha: string | null): RepoInput {
  return {
    name: r.full_name,
    url: r.html_url ?? `https://github.com/${r.full_name}`,
    commitSha,
    revisionTime: r.pushed_at ?? null,
    stars: r.stargazers_count ?? null,
    forks: r.forks_count ?? null,
    forkParent: r.parent?.full_name ?? null,
    licenseClaim: licenseClaimOf(r),
  };
}

export function toGithubFacts(r: ApiRepo): RepoGithubFacts {
  return {
    topics: r.topics ?? [],
    archived: r.archived ?? false,
    pushedAt: r.pushed_at ?? null,
    defaultBranch: r.default_branch ?? null,
  };
}
