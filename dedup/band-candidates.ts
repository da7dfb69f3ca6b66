import { bandKeys, estimateJaccard } from './minhash.js';
import { UnionFind } from './union-find.js';

/** One signed document as pass 2 needs it: the coordinator's ordinal, its stable key (tie-break) and signature. */
export interface SignedDoc {
  ord: number;
  stable: number;
  sig: Uint32Array;
}

/** What decides pass 2 besides the signatures (dedup/near-dedup-options.ts). */
export interface BandParams {
  bands: number;
  rows: number;
  /** `none`, `estimate`, `hybrid` or `exact`. */
  verify: string;
  threshold: number;
  exactMargin: number;
}

/**
 * Pass 2's candidates, found elsewhere (in band-partition jobs): `edges` join
 * for certain; `undecided` pairs need the exact Jaccard of both texts (verify
 * `hybrid` near the threshold, `exact` always), which only the coordinator
 * can read. Both are re-iterable.
 */
export interface BandCandidates {
  edges(): Iterable<readonly [number, number]>;
  undecided(): Iterable<readonly [number, number]>;
}

/**
 * A way to run pass 2's bucket walk somewhere else (queue/near-dedup-bands-job.ts).
 * `docs` yields every document that has band keys, in ordinal order, and may be
 * iterated more than once.
 */
export interface BandMerger {
  merge(docs: () => Iterable<SignedDoc>, params: BandParams): Promise<BandCandidates>;
}

/**
 * Whether a pair's signature estimate decides it (`estimate` always; `hybrid`
 * unless it lies within `exactMargin` of the threshold, where only the exact
 * Jaccard of the texts does). The one rule of pass 2, in-process and in
 * band-partition jobs alike.
 */
export function settledByEstimate(p: Pick<BandParams, 'verify' | 'threshold' | 'exactMargin'>, estimate: number): boolean {
  return p.verify === 'estimate' || (p.verify === 'hybrid' && Math.abs(estimate - p.threshold) > p.exactMargin);
}

/** Where a partition's findings go. */
export interface CandidateSink {
  edge(a: number, b: number): void;
  undecided(a: number, b: number): void;
}

export interface PartitionCounts {
  buckets: number;
  edges: number;
  undecided: number;
  rejected: number;
}

/**
 * What a partition walks: the banded documents (ordinals ascending, stable
 * keys) and, band by band, their keys in the same order. A band-partition job
 * reads it from the per-band files the coordinator wrote (queue/near-dedup-bands-store.ts),
 * one band at a time, so it never holds or reads another partition's bands.
 */
export interface BandSource {
  readonly ords: ArrayLike<number>;
  readonly stable: ArrayLike<number>;
  /** Band `band`'s key of every document, in `ords` order. */
  keysOf(band: number): ArrayLike<number>;
}

/** A BandSource from signatures in memory (band keys computed here): tests and the reference path. */
export function bandSourceOf(docs: Iterable<SignedDoc>, bands: number, rows: number): BandSource {
  const ords: number[] = [];
  const stable: number[] = [];
  const all: Float64Array[] = [];
  for (const d of docs) {
    ords.push(d.ord);
    stable.push(d.stable);
    all.push(bandKeys(d.sig, bands, rows));
  }
  return { ords, stable, keysOf: (band) => Float64Array.from(all, (k) => k[band]!) };
}

/**
 * The bucket walk of dedup/near-dedup-cluster.ts clusterBands, for the bands
 * `[first, last)` only. A bucket is the documents sharing one band key; its
 * anchor is the member with the smallest (stable key, ordinal) — never
 * arrival order — and each other member is a candidate pair with it, decided
 * by the same arithmetic as clusterBands. clusterBands' clusters are the
 * connected components of the pairs that pass (its skip of pairs already
 * joined only saves work), so the union over any split of the bands into
 * partitions of these edges — plus the undecided pairs that pass the exact
 * check — gives the very same clusters. Within a partition a pair already
 * joined by its earlier edges is skipped (its edge would add nothing), so it
 * emits a spanning forest, not every pair. `sigOf` is asked only for members
 * of a bucket (verify `estimate`/`hybrid`), never for a document alone in
 * its buckets.
 */
export function partitionCandidates(src: BandSource, first: number, last: number, p: BandParams, sigOf: (ord: number) => Uint32Array, sink: CandidateSink): PartitionCounts {
  const { ords, stable } = src;
  const n = ords.length;
  const local = new UnionFind();
  for (let i = 0; i < n; i++) local.add();
  const counts: PartitionCounts = { buckets: 0, edges: 0, undecided: 0, rejected: 0 };
  const asked = new Set<string>();
  const byAnchor = (a: number, b: number): number => stable[a]! - stable[b]! || ords[a]! - ords[b]!;
  for (let band = first; band < last; band++) {
    const keys = src.keysOf(band);
    if (keys.length !== n) throw new Error(`near-dedup band ${band}: ${keys.length} keys for ${n} documents`);
    const idx = new Uint32Array(n).map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || ords[a]! - ords[b]!);
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && keys[idx[end]!] === keys[idx[start]!]) end++;
      if (end - start > 1) {
        counts.buckets++;
        walkBucket(Array.from(idx.subarray(start, end)).sort(byAnchor), ords, p, sigOf, local, asked, sink, counts);
      }
      start = end;
    }
  }
  return counts;
}

/** One bucket (local indices, anchor first): each member against the anchor. */
function walkBucket(
  group: number[],
  ords: ArrayLike<number>,
  p: BandParams,
  sigOf: (ord: number) => Uint32Array,
  local: UnionFind,
  asked: Set<string>,
  sink: CandidateSink,
  counts: PartitionCounts,
): void {
  const anchor = group[0]!;
  const a = ords[anchor]!;
  for (let i = 1; i < group.length; i++) {
    const other = group[i]!;
    if (local.find(other) === local.find(anchor)) continue;
    const b = ords[other]!;
    let verdict: 'join' | 'ask' | 'reject' = 'join';
    if (p.verify === 'exact') verdict = 'ask';
    else if (p.verify === 'estimate' || p.verify === 'hybrid') {
      const e = estimateJaccard(sigOf(a), sigOf(b));
      verdict = !settledByEstimate(p, e) ? 'ask' : e >= p.threshold ? 'join' : 'reject';
    }
    if (verdict === 'join') {
      local.union(anchor, other);
      sink.edge(a, b);
      counts.edges++;
    } else if (verdict === 'ask') {
      const k = `${a}:${b}`;
      if (asked.has(k)) continue;
      asked.add(k);
      sink.undecided(a, b);
      counts.undecided++;
    } else counts.rejected++;
  }
}
