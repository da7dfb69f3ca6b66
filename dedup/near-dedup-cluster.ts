import type { DedupScratch } from './minhash-store.js';
import type { BandCandidates } from './band-candidates.js';
import type { SignedCorpus } from './near-dedup-sign.js';

export interface ClusterCounts {
  /** Band buckets holding two or more documents. */
  candidateBuckets: number;
  /** Candidate pairs checked (verify `estimate` or `exact`). */
  verifiedPairs: number;
  /** Candidate pairs the check rejected (LSH false positives). */
  rejectedPairs: number;
}

/**
 * Pass 2: walks the band keys in sorted order (an index scan, never all in
 * memory) and joins documents that share a bucket. Without verification the
 * clusters are the connected components of band collisions, which no input
 * order can change. With verification each bucket member is checked against
 * the bucket's anchor — its member with the smallest stable key, not the first
 * seen, so the result is again independent of input order — and joined only
 * when the similarity (`similarity(anchor, other)`: signature estimate or exact
 * Jaccard of the shingle sets) reaches the threshold. On 12k real files the
 * estimate check lifts pair precision from 0.70 to 0.97 (bench/dedup.ts).
 */
export function clusterBands(
  scratch: DedupScratch,
  signed: SignedCorpus,
  threshold: number,
  similarity: ((a: number, b: number) => number) | null,
): ClusterCounts {
  scratch.indexBands();
  const counts: ClusterCounts = { candidateBuckets: 0, verifiedPairs: 0, rejectedPairs: 0 };
  const { uf, stableKey } = signed;
  for (const group of scratch.bandGroups()) {
    counts.candidateBuckets++;
    if (!similarity) {
      for (let i = 1; i < group.length; i++) uf.union(group[0]!, group[i]!);
      continue;
    }
    group.sort((a, b) => stableKey[a]! - stableKey[b]! || a - b);
    const anchor = group[0]!;
    for (let i = 1; i < group.length; i++) {
      const other = group[i]!;
      if (uf.find(other) === uf.find(anchor)) continue;
      counts.verifiedPairs++;
      if (similarity(anchor, other) >= threshold) uf.union(anchor, other);
      else counts.rejectedPairs++;
    }
  }
  return counts;
}

/** A small least-recently-used cache (buckets revisit their anchors). */
export function lruCache<V>(load: (ord: number) => V, capacity: number): (ord: number) => V {
  const cache = new Map<number, V>();
  return (ord) => {
    const hit = cache.get(ord);
    if (hit) {
      cache.delete(ord);
      cache.set(ord, hit);
      return hit;
    }
    const value = load(ord);
    cache.set(ord, value);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    return value;
  };
}

/**
 * Pass 2 from candidates found elsewhere (dedup/band-candidates.ts): every
 * edge joins; each undecided pair not joined yet is settled by `exact` (the
 * exact Jaccard of both texts), as clusterBands settles it. Same clusters as
 * clusterBands: both are the connected components of the pairs that pass.
 * Returns how many edges and exact checks it applied.
 */
export function clusterCandidates(
  signed: SignedCorpus,
  candidates: BandCandidates,
  threshold: number,
  exact: ((a: number, b: number) => number) | null,
): { edges: number; exactChecks: number } {
  const { uf } = signed;
  const counts = { edges: 0, exactChecks: 0 };
  for (const [a, b] of candidates.edges()) {
    uf.union(a, b);
    counts.edges++;
  }
  for (const [a, b] of candidates.undecided()) {
    if (uf.find(a) === uf.find(b)) continue;
    if (!exact) throw new Error('near-dedup: undecided band candidates without an exact check (verify mode mismatch)');
    counts.exactChecks++;
    if (exact(a, b) >= threshold) uf.union(a, b);
  }
  return counts;
}
