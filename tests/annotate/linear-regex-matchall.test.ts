import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { re2 } from '../../annotate/linear-regex.js';

// node-re2's own matchAll compiles a clone per call; ours reuses clones. The
// matches must be the same, one iteration must not disturb another, and the
// instance's lastIndex must be where iteration starts and stay untouched.
const RE2 = createRequire(import.meta.url)('re2') as { prototype: { [Symbol.matchAll](s: string): IterableIterator<RegExpExecArray> } };
const cloneMatchAll = (re: RegExp, s: string): RegExpExecArray[] => [...RE2.prototype[Symbol.matchAll].call(re, s)];
const shape = (ms: RegExpExecArray[]): unknown[] => ms.map((m) => [m.index, [...m]]);

const KEYWORD = String.raw`[A-Za-z0-9_.-]*(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|auth[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credential|bearer)[A-Za-z0-9_]*`;
const PATTERNS = [
  new RegExp(String.raw`(${KEYWORD})["']?\s*(?:[:=]{1,2}|=>|\s)\s*[bru]?(?:"([^"'\s\\]{8,200})"|'([^"'\s\\]{8,200})')`, 'gi'),
  /[0-9A-Fa-f]*:[0-9A-Fa-f:]*/g,
  /\b(?:\d+'[sS]?[bBoOdDhH][0-9a-fA-F_xXzZ?]+|0[xX][0-9a-fA-F]+[uUlL]*|\d+)\b/g,
  /x*/g, // empty matches: the iteration steps over them
  /^\s*#\s*define\s+(\w+)/gm,
];

function newlibTexts(): string[] {
  const dir = '/usr/include/newlib';
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.h$/.test(e.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

test('re2 matchAll with reused clones finds what node-re2’s cloning matchAll finds (newlib headers, PII and literal patterns)', () => {
  const texts = [...newlibTexts(), 'password = "hunter2hunter2" fe80::1 x 12 0x1f', 'ééé 8\'hff café token: \'abcdefgh12\'', ''];
  assert.ok(texts.length > 100, 'libnewlib-dev is installed (scripts/setup.sh)');
  let matched = 0;
  for (const p of PATTERNS) {
    const re = re2(p);
    for (const t of texts) {
      const ours = [...t.matchAll(re)];
      assert.deepEqual(shape(ours), shape(cloneMatchAll(re, t)), `${p} on a ${t.length}-char text`);
      matched += ours.length;
    }
  }
  assert.ok(matched > 1000);
});

test('nested and abandoned re2 matchAll iterations are independent; lastIndex is where they start and is left alone', () => {
  const re = re2(/\d+/g);
  const text = 'a1 b22 c333';
  const pairs: string[] = [];
  for (const a of text.matchAll(re)) for (const b of text.matchAll(re)) pairs.push(`${a[0]}/${b[0]}`);
  assert.equal(pairs.length, 9);
  assert.deepEqual(pairs.slice(0, 3), ['1/1', '1/22', '1/333']);
  for (const m of text.matchAll(re)) {
    assert.equal(m[0], '1');
    break; // returns the clone
  }
  const half = text.matchAll(re);
  half.next(); // never finished: its clone is not reused, the next iteration gets another
  assert.deepEqual([...text.matchAll(re)].map((m) => m[0]), ['1', '22', '333']);
  re.lastIndex = 3;
  assert.deepEqual([...text.matchAll(re)].map((m) => m[0]), ['22', '333']);
  assert.equal(re.lastIndex, 3);
  assert.throws(() => 'x'.matchAll(re2(/x/)), TypeError);
});
