import { InputError } from '../pipeline/errors.js';
import { resolveLshParams } from './lsh-params.js';

/** Near-dedup, fork consolidation and cross-source options (config section `nearDedup`). */
export interface NearDedupOptions {
  /** Run near-dedup at all. @default true */
  enabled: boolean;
  /** Jaccard similarity at which two files are near-duplicates (bigcode's 0.7). @default 0.7 */
  threshold: number;
  /** Tokens per shingle (bigcode and datatrove use 5-grams). @default 5 */
  shingleSize: number;
  /**
   * How signatures are computed: `oph` — one permutation split into numPerm
   * bins, empty bins re-hashed (dedup/one-permutation.ts; O(shingles + numPerm)) —
   * or `minhash`, numPerm independent permutations (O(shingles × numPerm)).
   * Both estimate Jaccard as the share of equal positions. @default "oph"
   */
  signature: string;
  /** MinHash permutations, or bins with `oph` (bigcode's near-dedup uses 256). @default 256 */
  numPerm: number;
  /** LSH bands; 0 chooses bands and rows for the threshold (min. weighted FP + FN). @default 0 */
  bands: number;
  /** Rows per band; 0 = automatic (see bands). @default 0 */
  rows: number;
  /** Seed of the permutations: same seed, same signatures on every machine. @default 1 */
  seed: number;
  /**
   * How a band collision is confirmed before two documents join a cluster:
   * `none` (bigcode/datatrove: every collision joins), `estimate` (signature
   * Jaccard ≥ threshold; no extra I/O), `hybrid` (the estimate, and where it
   * lies within `exactMargin` of the threshold — where its noise decides —
   * exact Jaccard of the shingle sets, re-reading both texts), `exact`
   * (always exact Jaccard). @default "hybrid"
   */
  verify: string;
  /** With `hybrid`: estimates this close to the threshold are settled by exact Jaccard (≈ 1.6 σ of a 256-value estimate). @default 0.05 */
  exactMargin: number;
  /** Two repositories form a fork family when this share of the smaller one's files is shared. @default 0.5 */
  familyOverlap: number;
  /** A literature/web snippet is dropped when this share of its shingles is in one kept repository file. @default 0.8 */
  containment: number;
  /** Snippets with fewer shingles are too short to judge and are kept. @default 5 */
  minSnippetShingles: number;
  /** Files per worker task. @default 64 */
  batchFiles: number;
}

export const DEFAULT_NEAR_DEDUP_OPTIONS: Readonly<NearDedupOptions> = {
  enabled: true,
  threshold: 0.7,
  shingleSize: 5,
  signature: 'oph',
  numPerm: 256,
  bands: 0,
  rows: 0,
  seed: 1,
  verify: 'hybrid',
  exactMargin: 0.05,
  familyOverlap: 0.5,
  containment: 0.8,
  minSnippetShingles: 5,
  batchFiles: 64,
};

/** Options as recorded with the generation: the configured ones plus the bands/rows actually used. */
export interface ResolvedNearDedupOptions extends NearDedupOptions {
  lsh: { bands: number; rows: number; falsePositiveArea: number; falseNegativeArea: number; fnWeight: number; chosen: 'auto' | 'configured' };
}

/** Validates options (errors name the option) and resolves the LSH parameters. */
export function resolveNearDedupOptions(opts: Partial<NearDedupOptions> = {}): ResolvedNearDedupOptions {
  const o = { ...DEFAULT_NEAR_DEDUP_OPTIONS, ...opts };
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new InputError(`nearDedup.${what}`);
  };
  check(o.threshold > 0 && o.threshold <= 1, `threshold must be in (0, 1], got ${o.threshold}`);
  check(Number.isInteger(o.shingleSize) && o.shingleSize >= 1 && o.shingleSize <= 64, `shingleSize must be an integer in 1..64, got ${o.shingleSize}`);
  check(Number.isInteger(o.numPerm) && o.numPerm >= 8 && o.numPerm <= 4096, `numPerm must be an integer in 8..4096, got ${o.numPerm}`);
  check(Number.isInteger(o.bands) && Number.isInteger(o.rows) && o.bands >= 0 && o.rows >= 0, 'bands and rows must be non-negative integers');
  check(o.bands * Math.max(o.rows, 1) <= o.numPerm, `bands × rows (${o.bands} × ${o.rows}) must not exceed numPerm (${o.numPerm})`);
  check(o.familyOverlap > 0 && o.familyOverlap <= 1, `familyOverlap must be in (0, 1], got ${o.familyOverlap}`);
  check(o.containment > 0 && o.containment <= 1, `containment must be in (0, 1], got ${o.containment}`);
  check(['oph', 'minhash'].includes(o.signature), `signature must be "oph" or "minhash", got ${JSON.stringify(o.signature)}`);
  check(['none', 'estimate', 'hybrid', 'exact'].includes(o.verify), `verify must be "none", "estimate", "hybrid" or "exact", got ${JSON.stringify(o.verify)}`);
  check(o.exactMargin >= 0 && o.exactMargin < 1, `exactMargin must be in [0, 1), got ${o.exactMargin}`);
  check(Number.isInteger(o.batchFiles) && o.batchFiles >= 1, `batchFiles must be a positive integer, got ${o.batchFiles}`);
  // Verified candidates cost a check, a missed pair is lost: weigh false negatives 9:1 then (32 × 8 at 0.7 / 256).
  const fnWeight = o.verify === 'none' ? 0.5 : 0.9;
  const p = resolveLshParams(o.threshold, o.numPerm, o.bands, o.rows, fnWeight);
  check(p.bands < 4096, `bands must be below 4096, got ${p.bands}`);
  const round = (x: number): number => Number(x.toPrecision(4));
  return {
    ...o,
    lsh: {
      bands: p.bands,
      rows: p.rows,
      falsePositiveArea: round(p.falsePositiveArea),
      falseNegativeArea: round(p.falseNegativeArea),
      fnWeight,
      chosen: o.bands > 0 || o.rows > 0 ? 'configured' : 'auto',
    },
  };
}
