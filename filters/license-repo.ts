import type { RepoLicenseSources } from '../corpus/license-sources.js';
import { decideLicense, type LicenseDecision } from './license-decide.js';
import { rankLicensePaths, readFileEvidence, type LicenseEvidence } from './license-evidence.js';
import { toSpdxExpression } from './license-expression.js';

/** The license that applies to a path, and the directory whose evidence decided it. */
export interface ScopeLicense {
  /** Directory ('' = repository root) whose evidence applies; null when the repository has none. */
  dir: string | null;
  decision: LicenseDecision;
}

export interface RepoLicenseResolver {
  resolve(repo: string, path: string): ScopeLicense;
}

/**
 * Precomputes every repository's license evidence, by directory: a vendored
 * `third_party/x/LICENSE` governs its subtree, the root's files plus the API
 * claim govern the rest. Evidence is read once per repository (when first
 * asked), decisions once per directory.
 */
export function createRepoLicenseResolver(
  sources: Map<string, RepoLicenseSources>,
  o: { matchThreshold: number; useApiClaim: boolean },
): RepoLicenseResolver {
  const repos = new Map<string, Map<string, LicenseDecision>>();
  const none: LicenseDecision = { status: 'none', spdx: null, evidence: [] };
  const scopesOf = (repo: string): Map<string, LicenseDecision> => {
    let scopes = repos.get(repo);
    if (!scopes) repos.set(repo, (scopes = decideScopes(sources.get(repo), o)));
    return scopes;
  };
  return {
    resolve(repo, path) {
      const scopes = scopesOf(repo);
      for (let dir = dirOf(path); ; dir = dirOf(dir)) {
        const d = scopes.get(dir);
        if (d) return { dir, decision: d };
        if (dir === '') return { dir: null, decision: none };
      }
    },
  };
}

function decideScopes(src: RepoLicenseSources | undefined, o: { matchThreshold: number; useApiClaim: boolean }): Map<string, LicenseDecision> {
  const byDir = new Map<string, LicenseEvidence[]>();
  const files = [...(src?.files ?? [])].sort((a, b) => rankLicensePaths(a.path, b.path));
  for (const f of files) {
    const ev = readFileEvidence(f.path, f.text, o.matchThreshold);
    if (ev.length === 0) continue;
    const dir = dirOf(f.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), ...ev]);
  }
  if (o.useApiClaim && src?.licenseClaim) {
    byDir.set('', [...(byDir.get('') ?? []), { source: 'api-claim', spdx: toSpdxExpression(src.licenseClaim), method: `claim:${src.licenseClaim}` }]);
  }
  return new Map([...byDir].map(([dir, ev]) => [dir, decideLicense(ev)]));
}

/** Parent directory of a repository path ('' for the root). */
function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
