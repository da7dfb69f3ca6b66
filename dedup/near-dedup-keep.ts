import type { DedupScratch } from './minhash-store.js';
import type { Doc } from '../pipeline/doc.js';
import { compareKeep, keepRankOf, type KeepRank } from './keep-rule.js';
import type { SignedCorpus } from './near-dedup-sign.js';
import type { Family } from './repo-families.js';

/** The member of a cluster the keep rule chose. */
export interface Keeper {
  ord: number;
  id: string;
  repo: string;
  path: string;
  size: number;
  rank: KeepRank;
}

/** Clusters hit by more repositories than this are boilerplate, not evidence of forking. */
const MAX_REPOS_PER_CLUSTER = 16;

/** Yields the parsed record of every document in a cluster of two or more. */
function* clustered(scratch: DedupScratch, signed: SignedCorpus): Generator<{ ord: number; root: number; doc: Doc }> {
  for (const row of scratch.docs()) {
    if (signed.uf.sizeOf(row.ord) < 2) continue;
    yield { ord: row.ord, root: signed.uf.find(row.ord), doc: JSON.parse(row.record) as Doc };
  }
}

/** Repository pairs with how many near-duplicate clusters they share (fork-family evidence). */
export function countNearSharedFiles(scratch: DedupScratch, signed: SignedCorpus): Array<{ a: string; b: string; shared: number }> {
  const reposOf = new Map<number, Set<string>>();
  for (const { root, doc } of clustered(scratch, signed)) {
    let set = reposOf.get(root);
    if (!set) reposOf.set(root, (set = new Set()));
    set.add(doc.repo);
  }
  const pairs = new Map<string, number>();
  for (const set of reposOf.values()) {
    if (set.size < 2 || set.size > MAX_REPOS_PER_CLUSTER) continue;
    const names = [...set].sort();
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const key = `${names[i]}\0${names[j]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  return [...pairs].map(([key, shared]) => {
    const [a, b] = key.split('\0') as [string, string];
    return { a, b, shared };
  });
}

/** The keep-rule record of a document, given the fork families. */
export function keepRank(doc: Doc, families: Map<string, Family>): KeepRank {
  const family = families.get(doc.repo);
  return keepRankOf(doc, !family || family.canonical === doc.repo ? 1 : 0);
}

/** Pass 3: the keeper of every cluster (root ordinal → keeper), one record in memory per cluster. */
export function chooseKeepers(scratch: DedupScratch, signed: SignedCorpus, families: Map<string, Family>): Map<number, Keeper> {
  const keepers = new Map<number, Keeper>();
  for (const { ord, root, doc } of clustered(scratch, signed)) {
    const rank = keepRank(doc, families);
    const best = keepers.get(root);
    if (!best || compareKeep(rank, best.rank) < 0) keepers.set(root, { ord, id: doc.id, repo: doc.repo, path: doc.path, size: doc.size, rank });
  }
  return keepers;
}
