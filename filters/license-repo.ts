import type { RepoLicenseSources } from '../corpus/license-sources.js';
import { decideLicense, type LicenseDecision } from './license-decide.js';
import { rankLicensePaths, type LicenseEvidence } from './license-evidence.js';
import { toSpdxExpression } from './license-expression.js';

/** The license that applies to a path, and the directory whose evidence decided it. */
export interface ScopeLicense {
  /** Directory ('' = repository root) whose evidence applies; null when the repository has none. */
  dir: string | null;
  decision: LicenseDecision;
}

export interface RepoLicenseResolver {
  resolve(repo: string, path: string): Promise<ScopeLicense>;
}

/** Where the resolver gets a repository's candidate files and their evidence (the store and the worker pool). */
export interface LicenseSourceAccess {
  sources(repo: string): RepoLicenseSources;
  /** Evidence of each file, in order. */
  evidence(files: RepoLicenseSources['files']): Promise<LicenseEvidence[][]>;
}

/** Repositories whose scopes stay in memory: the rebuild streams repositories one after another, so a few suffice. */
const REPOS_CACHED = 64;

/**
 * A repository's license evidence, by directory: a vendored
 * `third_party/x/LICENSE` governs its subtree, the root's files plus the API
 * claim govern the rest. Evidence is read once per repository (when first
 * asked) and kept for the last REPOS_CACHED repositories only, so memory does
 * not grow with the corpus; decisions are made once per directory.
 */
export function createRepoLicenseResolver(access: LicenseSourceAccess, o: { useApiClaim: boolean }, capacity = REPOS_CACHED): RepoLicenseResolver {
  const repos = new Map<string, Promise<Map<string, LicenseDecision>>>();
  const none: LicenseDecision = { status: 'none', spdx: null, evidence: [] };
  const scopesOf = (repo: string): Promise<Map<string, LicenseDecision>> => {
    let scopes = repos.get(repo);
    if (scopes) {
      repos.delete(repo);
    } else {
      const src = access.sources(repo);
      scopes = access.evidence(src.files).then((ev) => decideScopes(src, ev, o));
    }
    repos.set(repo, scopes);
    if (repos.size > capacity) repos.delete(repos.keys().next().value!);
    return scopes;
  };
  return {
    async resolve(repo, path) {
      const scopes = await scopesOf(repo);
      for (let dir = dirOf(path); ; dir = dirOf(dir)) {
        const d = scopes.get(dir);
        if (d) return { dir, decision: d };
        if (dir === '') return { dir: null, decision: none };
      }
    },
  };
}

function decideScopes(src: RepoLicenseSources, evidence: LicenseEvidence[][], o: { useApiClaim: boolean }): Map<string, LicenseDecision> {
  const byDir = new Map<string, LicenseEvidence[]>();
  const order = src.files.map((f, i) => ({ path: f.path, ev: evidence[i] ?? [] })).sort((a, b) => rankLicensePaths(a.path, b.path));
  for (const f of order) {
    if (f.ev.length === 0) continue;
    const dir = dirOf(f.path);
    const list = byDir.get(dir);
    if (list) list.push(...f.ev);
    else byDir.set(dir, [...f.ev]);
  }
  if (o.useApiClaim && src.licenseClaim) {
    const claim: LicenseEvidence = { source: 'api-claim', spdx: toSpdxExpression(src.licenseClaim), method: `claim:${src.licenseClaim}` };
    byDir.set('', [...(byDir.get('') ?? []), claim]);
  }
  return new Map([...byDir].map(([dir, ev]) => [dir, decideLicense(ev)]));
}

/** Parent directory of a repository path ('' for the root). */
function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
