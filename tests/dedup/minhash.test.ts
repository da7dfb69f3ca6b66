import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactJaccard, fmix32, shingleHashes, textShingles, tokenHashes } from '../../dedup/code-tokens.js';
import { computeSignature, createPermutations, estimateJaccard } from '../../dedup/minhash.js';
import { createRandom } from '../../pipeline/seeded-random.js';

test('code tokens ignore whitespace and keep Verilog sized literals whole', () => {
  const a = 'assign y = 8\'hFF & a;\n';
  const b = 'assign   y=8\'hFF\n\t&a ;';
  assert.deepEqual(tokenHashes(a), tokenHashes(b));
  assert.equal(tokenHashes("8'hFF").length, 1);
  assert.notDeepEqual(tokenHashes('assign y = a;'), tokenHashes('assign y = b;'));
});

test('shingles are distinct and sorted; a text shorter than k still has one', () => {
  const s = textShingles('a b c d e a b c d e a b c d e', 5);
  assert.equal(s.length, 5, 'five distinct 5-grams repeat');
  for (let i = 1; i < s.length; i++) assert.ok(s[i - 1]! < s[i]!);
  assert.equal(textShingles('x y', 5).length, 1);
  assert.equal(shingleHashes(new Uint32Array(0), 5).length, 0);
});

test('each permutation is a bijection of the 32-bit space (no two shingles collide)', () => {
  // Checked on a contiguous block and on random values: a·x + b mod 2^32 (a odd) and fmix32 are invertible.
  const perms = createPermutations(4, 7);
  for (let p = 0; p < perms.numPerm; p++) {
    const seen = new Set<number>();
    for (let x = 0; x < 50_000; x++) {
      const sig = computeSignature(Uint32Array.of(x), { numPerm: 1, a: perms.a.subarray(p, p + 1), b: perms.b.subarray(p, p + 1) });
      seen.add(sig[0]!);
    }
    assert.equal(seen.size, 50_000);
  }
  assert.equal(fmix32(0), 0);
  assert.notEqual(fmix32(1), fmix32(2));
});

test('signatures are deterministic and the same for every machine (golden values)', () => {
  const sig = computeSignature(textShingles('module m; assign y = a & b; endmodule', 5), createPermutations(256, 1));
  assert.deepEqual([...sig.subarray(0, 4)], [...computeSignature(textShingles('module m;\n  assign y = a & b;\nendmodule', 5), createPermutations(256, 1)).subarray(0, 4)]);
  assert.equal(sig.length, 256);
  // Golden: changing the hash or permutation code silently would invalidate stored signatures.
  assert.deepEqual([...sig.subarray(0, 3)], GOLDEN);
});
const GOLDEN = [268010501, 558727198, 240264739];

test('the Jaccard estimate tracks exact Jaccard (256 permutations: standard error ≤ 0.032)', () => {
  const rnd = createRandom('jaccard');
  const perms = createPermutations(256, 1);
  let worst = 0;
  for (let trial = 0; trial < 40; trial++) {
    const base = Array.from({ length: 400 }, () => rnd.int(2 ** 32));
    const keep = rnd.next();
    const other = base.map((x) => (rnd.next() < keep ? x : rnd.int(2 ** 32)));
    const a = Uint32Array.from(new Set(base)).sort();
    const b = Uint32Array.from(new Set(other)).sort();
    const err = Math.abs(estimateJaccard(computeSignature(a, perms), computeSignature(b, perms)) - exactJaccard(a, b));
    worst = Math.max(worst, err);
  }
  // 40 trials at σ ≤ 0.032: 4σ bounds them all with near certainty.
  assert.ok(worst < 0.13, `worst error ${worst}`);
});
