/**
 * Exact all-pairs Jaccard join (the "brute force" ground truth of the LSH
 * benchmark) with the two standard lossless filters of AllPairs/PPJoin
 * (Bayardo et al. 2007; Xiao et al. 2008): the length filter (|y| ≥ t·|x|) and
 * the prefix filter (two sets with J ≥ t share a token among their first
 * |x| − ⌈t·|x|⌉ + 1 tokens under one global order, rarest first; with sets
 * visited by size, indexing only the first |x| − ⌈2t/(1+t)·|x|⌉ + 1 suffices).
 * Every pair they prune has J < t, so the result equals comparing all n²/2 pairs.
 */
export function exactPairsAbove(sets: Uint32Array[], t: number): Array<{ a: number; b: number; jaccard: number }> {
  const freq = new Map<number, number>();
  for (const s of sets) for (const x of s) freq.set(x, (freq.get(x) ?? 0) + 1);
  // Global order rarest first, ties by value, encoded as one exact double (freq < 2^20, x < 2^32):
  // sorting typed arrays numerically is fast where a comparator over millions of tokens is not.
  const reordered = sets.map((s) => Float64Array.from(s, (x) => freq.get(x)! * 2 ** 32 + x).sort());
  const order = reordered.map((_, i) => i).sort((i, j) => reordered[i]!.length - reordered[j]!.length || i - j);
  const index = new Map<number, number[]>();
  const overlap = (a: Float64Array, b: Float64Array): number => {
    let [i, j, n] = [0, 0, 0];
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        n++;
        i++;
        j++;
      } else if (a[i]! < b[j]!) i++;
      else j++;
    }
    return n;
  };
  const out: Array<{ a: number; b: number; jaccard: number }> = [];
  for (const i of order) {
    const x = reordered[i]!;
    if (x.length === 0) continue;
    const prefix = x.length - Math.ceil(t * x.length) + 1;
    const candidates = new Set<number>();
    for (let p = 0; p < prefix; p++) {
      const list = index.get(x[p]!);
      if (!list) continue;
      for (const j of list) if (reordered[j]!.length >= t * x.length) candidates.add(j);
    }
    for (const j of candidates) {
      const y = reordered[j]!;
      const inter = overlap(x, y);
      const jaccard = inter / (x.length + y.length - inter);
      if (jaccard >= t) out.push({ a: Math.min(i, j), b: Math.max(i, j), jaccard });
    }
    const indexPrefix = x.length - Math.ceil(((2 * t) / (1 + t)) * x.length) + 1;
    for (let p = 0; p < indexPrefix; p++) {
      const list = index.get(x[p]!);
      if (list) list.push(i);
      else index.set(x[p]!, [i]);
    }
  }
  return out;
}
