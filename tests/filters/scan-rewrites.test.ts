import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { normalizeWhitespace } from '../../annotate/normalize-whitespace.js';
import { createRandom } from '../../pipeline/seeded-random.js';
import { encodedRuns } from '../../filters/validate-industrial.js';
import { listFiles } from './pii-labelled-set.js';

// Per-document scans that issue 13 rewrote, or tried to rewrite, for speed: encodedRuns (one pass over char
// codes instead of a match per word) and normalizeWhitespace (a one-pass version was no faster and was
// dropped; the test stays as the definition's guard). Their results feed validate's encoded-data rule and
// exact dedup's whitespace hash, so they must not move: each is checked against the plain definition, on
// random text over the characters that matter (every kind of JavaScript whitespace, line breaks, padding)
// and on real files.

/** The definition: fold runs of spaces/tabs, split at \r\n, \r, \n, trim each line, drop the empty ones. */
function byLines(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/[ \t\f\v]+/g, ' ').split(/\r\n|\r|\n/)) {
    const folded = line.trim();
    if (folded.length > 0) out.push(folded);
  }
  return out.join('\n');
}

/** The definition: maximal base64 runs (with up to two `=`) of ≥ 64 characters holding a digit and a letter. */
function byMatches(text: string): { longest: number; total: number } {
  let longest = 0;
  let total = 0;
  for (const m of text.matchAll(/[A-Za-z0-9+/]+={0,2}/g)) {
    if (m[0].length < 64 || !/\d/.test(m[0]) || !/[A-Za-z]/.test(m[0])) continue;
    longest = Math.max(longest, m[0].length);
    total += m[0].length;
  }
  return { longest, total };
}

const build = (rnd: ReturnType<typeof createRandom>, alphabet: string[], n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rnd.int(alphabet.length)]!;
  return s;
};

test('normalizeWhitespace equals the line-by-line definition on random whitespace mixes and real files', () => {
  const rnd = createRandom('normalize-whitespace');
  const alphabet = ['a', 'b', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2003', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff', '\u200b', 'é', '😀'];
  for (let k = 0; k < 20000; k++) {
    const s = build(rnd, alphabet, rnd.int(24));
    assert.equal(normalizeWhitespace(s), byLines(s), JSON.stringify(s));
  }
  const real = listFiles('/usr/include/newlib', /\.h$/).slice(0, 300);
  assert.ok(real.length >= 100, 'libnewlib-dev is installed (scripts/setup.sh)');
  for (const f of real) {
    const t = readFileSync(f, 'utf8');
    assert.equal(normalizeWhitespace(t), byLines(t), f);
    const crlf = t.replace(/\n/g, ' \r\n\t');
    assert.equal(normalizeWhitespace(crlf), byLines(crlf), `${f} with CRLF`);
  }
});

test('encodedRuns equals the per-match definition on random base64-ish text', () => {
  const rnd = createRandom('encoded-runs');
  const common = ['A', 'z', '0', '9', '+', '/'];
  const rare = ['=', ' ', '-', '\n', 'é', '_'];
  let found = 0;
  for (let k = 0; k < 5000; k++) {
    let s = '';
    const n = rnd.int(400);
    for (let i = 0; i < n; i++) s += rnd.int(k % 2 ? 40 : 120) === 0 ? rare[rnd.int(rare.length)]! : common[rnd.int(common.length)]!;
    const want = byMatches(s);
    assert.deepEqual(encodedRuns(s), want, s);
    if (want.total > 0) found++;
  }
  assert.ok(found > 100, `runs long enough to count were generated (${found})`);
  const key = 'MIIB' + 'q1w2e3r4t5y6u7i8o9p0'.repeat(5) + '==';
  assert.deepEqual(encodedRuns(`x = "${key}";`), { longest: key.length, total: key.length });
});
