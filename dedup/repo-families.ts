import { compareKeep, type KeepRank } from './keep-rule.js';
import { UnionFind } from './union-find.js';

/** Repository facts the family step needs, collected while documents stream by. */
export interface RepoFacts {
  /** Unknown below 0, as in the keep rule. */
  stars: number;
  forks: number;
  forkParent: string | null;
  revisionTime: string;
  /** Best keep-rule license rank among the repository's documents (0 permissive, 1 none, 2 other). */
  license: number;
}

export interface FamilyInputs {
  repos: Map<string, RepoFacts>;
  /** Files per repository with content. */
  files: Map<string, number>;
  /** Repository pairs with the number of files they share (identical or near-identical). */
  shared: Array<{ a: string; b: string; shared: number }>;
  /** Share of the smaller repository's files that must be shared. */
  overlap: number;
}

/** Why a repository joined its family. */
export interface MemberEvidence {
  forkOf?: string;
  sharedWith?: string;
  shared?: number;
  share?: number;
}

export interface Family {
  canonical: string;
  members: Map<string, MemberEvidence>;
}

/**
 * Repository fork consolidation: repositories join one family through the fork
 * graph (a fork and its parent, when both were crawled) and through content
 * overlap (at least `overlap` of the smaller one's files and at least two files
 * identical or near-identical — vendored copies and forks crawled without fork
 * metadata). The canonical repository is the best by the keep rule
 * (dedup/keep-rule.ts, with the repository's best license): exact dedup, which runs first, already kept
 * identical files from that repository, so near-identical ones follow it and
 * each shared file is kept once, from one repository.
 * Returns repository → its family; repositories alone are absent.
 */
export function findRepoFamilies(input: FamilyInputs): Map<string, Family> {
  const names = [...input.repos.keys()].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const uf = new UnionFind();
  names.forEach(() => uf.add());
  const evidence = new Map<string, MemberEvidence>();
  for (const name of names) {
    const parent = input.repos.get(name)!.forkParent;
    if (parent && index.has(parent)) {
      uf.union(index.get(name)!, index.get(parent)!);
      evidence.set(name, { forkOf: parent });
    }
  }
  for (const { a, b, shared } of [...input.shared].sort((x, y) => (x.a + '\0' + x.b < y.a + '\0' + y.b ? -1 : 1))) {
    if (!index.has(a) || !index.has(b) || shared < 2) continue;
    const smaller = Math.min(input.files.get(a) ?? Infinity, input.files.get(b) ?? Infinity);
    const share = shared / smaller;
    if (share < input.overlap) continue;
    uf.union(index.get(a)!, index.get(b)!);
    const [small, big] = (input.files.get(a) ?? 0) <= (input.files.get(b) ?? 0) ? [a, b] : [b, a];
    if (!evidence.has(small)) evidence.set(small, { sharedWith: big, shared, share: Number(share.toFixed(3)) });
  }
  const groups = new Map<number, string[]>();
  for (const name of names) {
    const root = uf.find(index.get(name)!);
    const group = groups.get(root);
    if (group) group.push(name);
    else groups.set(root, [name]);
  }
  const out = new Map<string, Family>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const canonical = [...members].sort((x, y) => compareRepos(x, input.repos.get(x)!, y, input.repos.get(y)!))[0]!;
    const family: Family = { canonical, members: new Map(members.map((m) => [m, evidence.get(m) ?? {}])) };
    for (const m of members) out.set(m, family);
  }
  return out;
}

function compareRepos(an: string, a: RepoFacts, bn: string, b: RepoFacts): number {
  return compareKeep(repoRank(an, a), repoRank(bn, b));
}

function repoRank(name: string, r: RepoFacts): KeepRank {
  return { license: r.license, canonical: 1, stars: r.stars, forks: r.forks, fork: r.forkParent ? 1 : 0, revisionTime: r.revisionTime, repo: name, path: '' };
}
