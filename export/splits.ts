import { createHash } from 'node:crypto';
import type { Db } from '../corpus/db.js';
import { countKeptDocsByRepo, listDuplicateLinks } from '../corpus/kept-docs.js';

export type SplitName = 'train' | 'validation';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation'];

/** Which split each repository's records go to, and how the groups came out. */
export interface SplitPlan {
  splitOf(repo: string): SplitName;
  /** Groups of repositories that must share a split (linked by duplicates), counted once each. */
  groups: number;
  /** Repositories that share a group with at least one other repository. */
  linkedRepos: number;
  validationRepos: number;
  /** Groups too large for the validation budget, kept in train. */
  oversizedGroups: number;
}

/**
 * Splits by repository, never by file, so no repository is in both train and
 * validation. Repositories linked by a duplicate — a file dropped as a copy of
 * a file in another repository (exact or near-dup: `details.duplicateOf`), or
 * kept files sharing a near-dup `details.cluster` — form one group with one
 * split: forks and vendored copies travel together, so what a model saw in
 * train cannot reappear, lightly edited, in validation. A group is held out
 * when a hash of its smallest repository name falls below `valFraction`, so the
 * split of a repository does not depend on the seed, on --domain/--lang filters
 * or on other repositories. A group bigger than the whole validation budget
 * (think: a CMSIS header vendored into hundreds of repositories) stays in
 * train rather than swallowing validation.
 */
export function planSplits(db: Db, genId: number, valFraction: number): SplitPlan {
  if (valFraction <= 0) return { splitOf: () => 'train', groups: 0, linkedRepos: 0, validationRepos: 0, oversizedGroups: 0 };
  const docsByRepo = countKeptDocsByRepo(db, genId);
  const parent = new Map<string, string>([...docsByRepo.keys()].map((r) => [r, r]));
  const find = (r: string): string => {
    let root = r;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(r, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    if (!parent.has(a) || !parent.has(b)) return; // a repository with nothing kept cannot leak
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) ra < rb ? parent.set(rb, ra) : parent.set(ra, rb);
  };
  for (const [a, b] of listDuplicateLinks(db, genId)) union(a, b);

  const groups = new Map<string, { docs: number; repos: number }>();
  for (const [repo, n] of docsByRepo) {
    const g = groups.get(find(repo)) ?? { docs: 0, repos: 0 };
    groups.set(find(repo), { docs: g.docs + n, repos: g.repos + 1 });
  }
  const total = [...docsByRepo.values()].reduce((a, b) => a + b, 0);
  const held = new Set<string>();
  let oversizedGroups = 0;
  for (const [key, g] of groups) {
    if (unitHash(`split:${key}`) >= valFraction) continue;
    if (g.docs > valFraction * total) oversizedGroups++;
    else held.add(key);
  }
  let validationRepos = 0;
  for (const repo of docsByRepo.keys()) if (held.has(find(repo))) validationRepos++;
  const linkedRepos = [...groups.values()].filter((g) => g.repos > 1).reduce((n, g) => n + g.repos, 0);
  return { splitOf: (repo) => (held.has(find(repo)) ? 'validation' : 'train'), groups: groups.size, linkedRepos, validationRepos, oversizedGroups };
}

/** A uniform number in [0, 1) from a string (48 bits of SHA-256). */
function unitHash(s: string): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 12), 16) / 2 ** 48;
}
