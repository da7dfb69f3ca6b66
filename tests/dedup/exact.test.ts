import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EXACT_DEDUP_OPTIONS, createExactDedupStage } from '../../dedup/exact.js';
import type { Doc } from '../../pipeline/doc.js';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { createStageContext } from '../../rebuild/stage-context.js';
import { StatsRegistry } from '../../pipeline/stats.js';
import { makeDoc, makeTempDir } from '../helpers.js';
import { normalizeWhitespace } from '../../annotate/normalize-whitespace.js';
import { computeTextFeatures } from '../../annotate/text-features.js';

test('whitespace normalization folds indentation style, trailing spaces, CRLF and blank lines', () => {
  const a = 'module m;\n    assign y = a;\n\nendmodule\n';
  const b = 'module m;  \r\n\tassign  y = a;\r\n\r\n\r\nendmodule';
  assert.equal(normalizeWhitespace(a), normalizeWhitespace(b));
  assert.equal(computeTextFeatures(a).normSha256, computeTextFeatures(b).normSha256);
});

test('whitespace normalization keeps every non-space character', () => {
  const a = 'assign y = a;\n';
  const b = 'assign y = b;\n';
  assert.notEqual(normalizeWhitespace(a), normalizeWhitespace(b));
  assert.notEqual(normalizeWhitespace('a b'), normalizeWhitespace('ab'), 'a space between tokens is not erased');
});

/** Runs exact dedup over documents with a real corpus connection (its TEMP table holds the stage's state). */
async function runExact(docs: Doc[], options = DEFAULT_EXACT_DEDUP_OPTIONS) {
  const dropped: Array<{ path: string; repo: string; reason: string; of: unknown }> = [];
  const stats = new StatsRegistry();
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const ctx = createStageContext(db, {
    stats,
    drop: (doc, _stage, reason, details) => void dropped.push({ path: doc.path, repo: doc.repo, reason, of: details?.repo }),
  });
  async function* source() {
    yield* docs;
  }
  const kept: Doc[] = [];
  try {
    for await (const d of createExactDedupStage(options).run(source(), ctx)) kept.push(d);
  } finally {
    db.close();
  }
  return { kept, dropped, stats: stats.for('exact-dedup') };
}

const crc = 'unsigned crc32(const unsigned char *p, int n) {\n  unsigned c = ~0u;\n  while (n--) c = (c >> 8) ^ *p++;\n  return ~c;\n}\n';

test("keep rule: a permissive copy beats an unlicensed one seen earlier (bigcode's license order)", async () => {
  const docs = [
    makeDoc('src/crc32.c', crc, { repo: 'a/nolicense', license: null }),
    makeDoc('lib/crc32.c', crc, { repo: 'b/gpl', license: 'GPL-2.0-only' }),
    makeDoc('src/crc32.c', crc, { repo: 'c/bsd', license: 'BSD-3-Clause' }),
    makeDoc('x/crc32.c', crc.replace(/\n {2}/g, '\n\t'), { repo: 'd/mit', license: 'MIT' }),
    makeDoc('other.c', 'int main(void) { return 0; }\n', { repo: 'a/nolicense', license: null }),
  ];
  const { kept, dropped, stats } = await runExact(docs);
  assert.deepEqual(kept.map((d) => `${d.repo}:${d.path}`), ['c/bsd:src/crc32.c', 'a/nolicense:other.c']);
  // A held document comes back without its text in memory: it rests in the blob store under textSha256.
  assert.equal(kept[1]!.text, null);
  assert.equal(kept[1]!.textSha256, kept[1]!.sha256);
  assert.deepEqual(
    dropped.map((d) => [d.repo, d.reason, d.of]),
    [
      ['b/gpl', 'exact-duplicate', 'a/nolicense'],
      ['a/nolicense', 'exact-duplicate', 'c/bsd'],
      ['d/mit', 'whitespace-duplicate', 'c/bsd'],
    ],
  );
  assert.equal(stats.seen, stats.kept + stats.dropped);
});

test('keep rule: without license differences the first copy in stream order wins; maxHeld bounds what waits', async () => {
  const docs = [makeDoc('a.c', crc, { repo: 'first' }), makeDoc('a.c', crc, { repo: 'second', license: 'MIT' })];
  const bounded = await runExact(docs, { ...DEFAULT_EXACT_DEDUP_OPTIONS, maxHeld: 0 });
  assert.deepEqual(bounded.kept.map((d) => d.repo), ['first'], 'nothing may wait: first seen wins');
  assert.equal(bounded.stats.counters?.['held-overflow'], 1);
  const same = await runExact([makeDoc('a.c', crc, { repo: 'first', license: 'MIT' }), makeDoc('a.c', crc, { repo: 'second', license: 'MIT' })]);
  assert.deepEqual(same.kept.map((d) => d.repo), ['first']);
});

test('text features: lines and lengths as split("\\n") counts them (final newline, CR, empty text); whitespace folding as line by line', async () => {
  const { computeTextFeatures } = await import('../../annotate/text-features.js');
  const shape = (t: string) => {
    const f = computeTextFeatures(t);
    return [f.lines, f.maxLineLength, f.meanLineLength, f.blank];
  };
  assert.deepEqual(shape(''), [1, 0, 0, true]);
  assert.deepEqual(shape('\n'), [1, 0, 0, true]);
  assert.deepEqual(shape('ab\r\n'), [1, 2, 2, false]);
  assert.deepEqual(shape('ab\n\n'), [2, 2, 1, false]);
  assert.deepEqual(shape('abc\ndefgh\r'), [2, 5, 4, false]);
  // Runs of spaces and tabs fold to one space, within each line only; Unicode spaces at a line's ends go with trim().
  assert.equal(normalizeWhitespace(' a \t\f\v b \u00a0\r\n\r\n\ufeffc\u2028d\rx '), 'a b\nc\u2028d\nx');
});
