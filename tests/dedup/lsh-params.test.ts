import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collisionProbability, falseNegativeArea, falsePositiveArea, optimalLshParams } from '../../dedup/lsh-params.js';
import { resolveNearDedupOptions } from '../../dedup/near-dedup-options.js';

test('bands and rows for 0.7 / 256 permutations minimize the weighted FP + FN area', () => {
  const p = optimalLshParams(0.7, 256);
  assert.ok(p.bands * p.rows <= 256);
  // The S-curve's steepest point sits near the threshold: (1/b)^(1/r) ≈ t.
  const knee = Math.pow(1 / p.bands, 1 / p.rows);
  assert.ok(Math.abs(knee - 0.7) < 0.1, `knee ${knee} for b=${p.bands}, r=${p.rows}`);
  // Every neighbour is worse (a true minimum, not just a plausible pair).
  const err = (b: number, r: number): number => 0.5 * falsePositiveArea(0.7, b, r) + 0.5 * falseNegativeArea(0.7, b, r);
  for (const [b, r] of [[p.bands + 1, p.rows], [p.bands - 1, p.rows], [p.bands, p.rows + 1], [p.bands, p.rows - 1]] as const) {
    if (b < 1 || r < 1 || b * r > 256) continue;
    assert.ok(err(b, r) >= p.error, `(${b}, ${r}) beats the choice`);
  }
  assert.ok(collisionProbability(0.9, p.bands, p.rows) > 0.99, 'near-duplicates at 0.9 collide');
  assert.ok(collisionProbability(0.3, p.bands, p.rows) < 0.01, 'dissimilar pairs at 0.3 rarely collide');
});

test('a higher threshold gets more rows per band', () => {
  assert.ok(optimalLshParams(0.9, 256).rows > optimalLshParams(0.5, 256).rows);
});

test('near-dedup options: automatic LSH parameters are recorded, overrides win, bad values name the option', () => {
  const auto = resolveNearDedupOptions();
  assert.equal(auto.lsh.chosen, 'auto');
  assert.equal(auto.numPerm, 256);
  assert.equal(auto.threshold, 0.7);
  assert.equal(auto.shingleSize, 5);
  const fixed = resolveNearDedupOptions({ bands: 16, rows: 8 });
  assert.deepEqual([fixed.lsh.bands, fixed.lsh.rows, fixed.lsh.chosen], [16, 8, 'configured']);
  assert.equal(resolveNearDedupOptions({ bands: 32 }).lsh.rows, 8, 'rows follow from bands');
  assert.throws(() => resolveNearDedupOptions({ bands: 64, rows: 8 }), /bands × rows \(64 × 8\) must not exceed numPerm \(256\)/);
  assert.throws(() => resolveNearDedupOptions({ threshold: 1.5 }), /nearDedup\.threshold/);
  assert.equal(auto.verify, 'hybrid');
  assert.equal(auto.signature, 'oph');
  assert.deepEqual([auto.lsh.bands, auto.lsh.rows, auto.lsh.fnWeight], [32, 8, 0.9], 'verified candidates: false negatives weigh 9:1');
  const unverified = resolveNearDedupOptions({ verify: 'none' });
  assert.deepEqual([unverified.lsh.bands, unverified.lsh.rows, unverified.lsh.fnWeight], [25, 10, 0.5], 'every collision joins: FP and FN weigh the same');
  assert.throws(() => resolveNearDedupOptions({ verify: 'maybe' }), /nearDedup\.verify must be "none", "estimate", "hybrid" or "exact"/);
  assert.throws(() => resolveNearDedupOptions({ signature: 'bbit' }), /nearDedup\.signature must be "oph" or "minhash"/);
});
