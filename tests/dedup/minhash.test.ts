import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_TOKEN_RE, exactJaccard, fmix32, hashToken, shingleHashes, textShingles, tokenHashes } from '../../dedup/code-tokens.js';
import { computeSignature, createPermutations, estimateJaccard } from '../../dedup/minhash.js';
import { createOnePermutation, ophSignature } from '../../dedup/one-permutation.js';
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
const GOLDEN = [999088777, 228180652, 631550601];

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

test('the token scanner gives exactly the tokens of CODE_TOKEN_RE (identifiers, numbers, based literals, code points)', () => {
  const texts = [
    "assign y = 8'hFF & 4'sb10_x1 | 'd12 ' 's 'sd ' ;\n",
    'x\u00a0y\u2003z\ufeff\t\v\f\r\n\u3000w',
    "\u{1F600}a\ud800b\udc00c é ß 中文 $var _x9 9.5e3f 0x1Fu 1'b0",
    "'''' 'h 'hq 'S 'Sh1 '?",
    '',
  ];
  const rnd = createRandom('scanner');
  const alphabet = "ab_$9'.sShHxXzZ? \t\n\u00a0\u2028é\ud83d\ude00()";
  for (let i = 0; i < 300; i++) texts.push(Array.from({ length: 60 }, () => alphabet[rnd.int(alphabet.length)]).join(''));
  for (const t of texts) assert.deepEqual([...tokenHashes(t)], [...t.matchAll(CODE_TOKEN_RE)].map((m) => hashToken(m[0])), JSON.stringify(t));
});

test('one-permutation signatures: deterministic golden values, repeats change nothing, an empty set fills no bin', () => {
  const p = createOnePermutation(256, 1);
  const sig = ophSignature(textShingles('module m; assign y = a & b; endmodule', 5), p);
  assert.equal(sig.length, 256);
  assert.deepEqual([...sig.subarray(0, 3)], OPH_GOLDEN);
  const s = textShingles('a b c d e f g h i j k', 5);
  assert.deepEqual(ophSignature(Uint32Array.from([...s, ...s]), p), ophSignature(s, p));
  assert.deepEqual(ophSignature(new Uint32Array(0), p), new Uint32Array(256).fill(0xffffffff));
});
const OPH_GOLDEN = [166122669, 129381251, 497416993];

test('one-permutation hashing (empty bins re-hashed) estimates Jaccard at least as closely as 256 permutations (small and large sets)', () => {
  const rnd = createRandom('oph');
  const p = createOnePermutation(256, 1);
  const perms = createPermutations(256, 1);
  for (const size of [30, 400, 5000]) {
    let ophErr = 0;
    let mhErr = 0;
    let bias = 0;
    const trials = 60;
    for (let trial = 0; trial < trials; trial++) {
      const base = Array.from({ length: size }, () => rnd.int(2 ** 32));
      const keep = 0.4 + 0.6 * rnd.next();
      const other = base.map((x) => (rnd.next() < keep ? x : rnd.int(2 ** 32)));
      const a = Uint32Array.from(new Set(base)).sort();
      const b = Uint32Array.from(new Set(other)).sort();
      const j = exactJaccard(a, b);
      const e = estimateJaccard(ophSignature(a, p), ophSignature(b, p)) - j;
      ophErr += e * e;
      bias += e;
      mhErr += (estimateJaccard(computeSignature(a, perms), computeSignature(b, perms)) - j) ** 2;
    }
    const ophRmse = Math.sqrt(ophErr / trials);
    const mhRmse = Math.sqrt(mhErr / trials);
    assert.ok(ophRmse < 0.045, `size ${size}: OPH rmse ${ophRmse.toFixed(4)}`);
    assert.ok(ophRmse < mhRmse * 1.15 + 0.003, `size ${size}: OPH rmse ${ophRmse.toFixed(4)} vs MinHash ${mhRmse.toFixed(4)}`);
    assert.ok(Math.abs(bias / trials) < 0.02, `size ${size}: mean error ${(bias / trials).toFixed(4)} (unbiased)`);
  }
});
