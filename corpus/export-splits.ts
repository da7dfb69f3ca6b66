import { createHash } from 'node:crypto';
import type { Db } from './db.js';

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
  const docsByRepo = new Map(
    (db.prepare(`SELECT r.name, count(*) AS n FROM verdicts v JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
                 WHERE v.gen_id = ? AND v.verdict = 'keep' GROUP BY r.name`).raw().all(genId) as [string, number][]),
  );
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

/** Pairs of repositories linked by a recorded duplicate (dropped copy → kept copy, or a shared kept cluster). */
function listDuplicateLinks(db: Db, genId: number): [string, string][] {
  const dropped = db
    .prepare(`SELECT r1.name, r2.name FROM verdicts v
      JOIN files f1 ON f1.id = v.file_id JOIN repos r1 ON r1.id = f1.repo_id
      JOIN files f2 ON f2.doc_id = json_extract(v.details, '$.duplicateOf') JOIN repos r2 ON r2.id = f2.repo_id
      WHERE v.gen_id = ? AND v.verdict = 'drop' AND json_extract(v.details, '$.duplicateOf') IS NOT NULL AND r1.id <> r2.id`)
    .raw()
    .all(genId) as [string, string][];
  const clustered = db
    .prepare(`SELECT json_extract(v.details, '$.cluster') AS c, r.name FROM verdicts v
      JOIN files f ON f.id = v.file_id JOIN repos r ON r.id = f.repo_id
      WHERE v.gen_id = ? AND v.verdict = 'keep' AND json_extract(v.details, '$.cluster') IS NOT NULL ORDER BY c`)
    .raw()
    .all(genId) as [unknown, string][];
  const links = [...dropped];
  for (let i = 1; i < clustered.length; i++) {
    if (clustered[i]![0] === clustered[i - 1]![0]) links.push([clustered[i - 1]![1], clustered[i]![1]]);
  }
  return links;
}

/** A uniform number in [0, 1) from a string (48 bits of SHA-256). */
function unitHash(s: string): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 12), 16) / 2 ** 48;
}
