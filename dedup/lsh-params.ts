/**
 * Choosing LSH bands (b) and rows per band (r) for a Jaccard threshold t.
 *
 * Two documents with Jaccard s share at least one band with probability
 * P(s) = 1 − (1 − s^r)^b. The false-positive area is ∫₀ᵗ P(s) ds and the
 * false-negative area ∫ₜ¹ (1 − P(s)) ds; we pick the (b, r) with b·r ≤ numPerm
 * that minimizes their weighted sum. This is the criterion datasketch's
 * `_optimal_param` uses, re-derived here with Simpson integration.
 */
export interface LshParams {
  bands: number;
  rows: number;
  /** Weighted FP + FN area of the choice, for the record. */
  error: number;
  falsePositiveArea: number;
  falseNegativeArea: number;
}

/** Probability that a pair with Jaccard s collides in at least one band. */
export function collisionProbability(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/** Simpson's rule with an even number of intervals (smooth integrands, 64 steps are plenty). */
function integrate(f: (x: number) => number, lo: number, hi: number, steps = 64): number {
  if (hi <= lo) return 0;
  const h = (hi - lo) / steps;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

export function falsePositiveArea(t: number, bands: number, rows: number): number {
  return integrate((s) => collisionProbability(s, bands, rows), 0, t);
}

export function falseNegativeArea(t: number, bands: number, rows: number): number {
  return integrate((s) => 1 - collisionProbability(s, bands, rows), t, 1);
}

/**
 * The (bands, rows) minimizing fpWeight·FP + fnWeight·FN for `threshold`.
 * Ties go to fewer bands (fewer SQLite rows). Deterministic.
 */
export function optimalLshParams(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): LshParams {
  let best: LshParams | null = null;
  for (let bands = 1; bands <= numPerm; bands++) {
    const maxRows = Math.floor(numPerm / bands);
    for (let rows = 1; rows <= maxRows; rows++) {
      const fp = falsePositiveArea(threshold, bands, rows);
      const fn = falseNegativeArea(threshold, bands, rows);
      const error = fpWeight * fp + fnWeight * fn;
      if (!best || error < best.error - 1e-12) best = { bands, rows, error, falsePositiveArea: fp, falseNegativeArea: fn };
    }
  }
  return best!;
}

/** Resolves configured bands/rows: 0 means "choose automatically" (with fnWeight for false negatives); an override must fit numPerm. */
export function resolveLshParams(threshold: number, numPerm: number, bands: number, rows: number, fnWeight = 0.5): LshParams {
  if (bands <= 0 && rows <= 0) return optimalLshParams(threshold, numPerm, 1 - fnWeight, fnWeight);
  if (bands <= 0) bands = Math.floor(numPerm / rows);
  if (rows <= 0) rows = Math.floor(numPerm / bands);
  const fp = falsePositiveArea(threshold, bands, rows);
  const fn = falseNegativeArea(threshold, bands, rows);
  return { bands, rows, error: (1 - fnWeight) * fp + fnWeight * fn, falsePositiveArea: fp, falseNegativeArea: fn };
}
