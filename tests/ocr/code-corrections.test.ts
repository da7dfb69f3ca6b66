import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { correctListing, underscoredIdentifiers } from '../../ocr/code-corrections.js';
import { documentVocabulary, toSnippet } from '../../ocr/listing-snippets.js';
import type { ExtractedListing } from '../../ocr/extract-document.js';

/** Real C nobody here wrote with underscored names and hex literals: glibc's <elf.h> (libc6-dev). */
function elfDefines(): string {
  const lines = readFileSync('/usr/include/elf.h', 'utf8').split('\n').filter((l) => /^#define \w+_\w+\s+0x[0-9a-fA-F]+\s*$/.test(l));
  assert.ok(lines.length >= 20, '/usr/include/elf.h (Debian package libc6-dev) has its #defines');
  return lines.slice(0, 40).join('\n') + '\n';
}

const listing = (text: string): ExtractedListing => ({ text, method: 'ocr', pageFrom: 9, pageTo: 9, boxes: [], caption: null, context: null, lineNumbersRemoved: false });

/** How the CUDA histogram whitepaper's listing came back from a 200-DPI scan before these corrections (issue 16). */
const SCANNED = [
  '__device__ void addData256(',
  '      volatile unsigned int *sWarpHist,',
  '      unsigned int data,',
  '      unsigned int threadTag',
  ') 4',
  '    unsigned int count;',
  '    do{',
  '        count = s WarpHist[data] & O0xQ7FFFFFFU;',
  '        count = threadTag | (count + 1);',
  '        s_WarpHist[data] = count;',
  '    }while(s_WarpHist[data] != count);',
  '',
].join('\n');

test('an OCR listing: underscores from the document vocabulary, hex literal, opening and lost closing brace, each recorded in provenance', () => {
  const l = listing(SCANNED);
  const s = toSnippet(l, { vocabulary: documentVocabulary([l]) });
  assert.equal(s.lang, 'cuda');
  assert.match(s.text, /volatile unsigned int \*s_WarpHist,/);
  assert.match(s.text, /count = s_WarpHist\[data\] & 0x07FFFFFFU;/);
  assert.match(s.text, /^\) \{$/m);
  assert.match(s.text, /\}while\(s_WarpHist\[data\] != count\);\n\}\n$/);
  const kinds = (s.details.ocrFixes ?? []).map((f) => f.kind);
  for (const k of ['vocabulary', 'hex', 'brace', 'closing-brace']) assert.ok(kinds.includes(k as never), `${k} in ${JSON.stringify(s.details.ocrFixes)}`);
  const vocab = s.details.ocrFixes!.find((f) => f.kind === 'vocabulary' && f.from === 'sWarpHist');
  assert.deepEqual(vocab, { kind: 'vocabulary', line: 2, from: 'sWarpHist', to: 's_WarpHist' });
  assert.ok(s.validity !== null && s.validity > 0.99, `validity ${s.validity}`);
});

test('without the vocabulary the underscores stay as read; a text-layer snippet is never corrected', () => {
  const s = toSnippet(listing(SCANNED), { vocabulary: new Set() });
  assert.match(s.text, /\*sWarpHist,/);
  assert.match(s.text, /count = s WarpHist\[data\]/);
  const text = toSnippet({ ...listing(SCANNED), method: 'text-layer' }, { vocabulary: documentVocabulary([listing(SCANNED)]) });
  assert.equal(text.text, SCANNED);
  assert.equal(text.details.ocrFixes, undefined);
});

test('a correction the grammar rejects is not applied', () => {
  // The unmatched `{` sits in a block comment: a `}` appended by bracket count would be a syntax error.
  const c = 'int f(int x) {\n  /* { */\n  return x;\n}\n';
  const r = correctListing('c', c);
  assert.equal(r.text, c);
  assert.deepEqual(r.fixes, []);
  // Real code with legal identifiers and literals is left exactly as it is.
  const real = elfDefines();
  const kept = correctListing('c', real, { vocabulary: new Set(underscoredIdentifiers(real)) });
  assert.equal(kept.text, real);
  assert.deepEqual(kept.fixes, []);
});

test('vocabulary: only underscores may differ, and an ambiguous spelling is left alone', () => {
  const vocab = new Set(['d_Result', 'BIN_COUNT', 'a_b', 'ab_']);
  const r = correctListing('c', 'x = d Result[BIN COUNT];\nint unsigned_x = dResult;\n', { vocabulary: vocab });
  assert.equal(r.text, 'x = d_Result[BIN_COUNT];\nint unsigned_x = d_Result;\n');
  assert.equal(correctListing('c', 'int ab = 1;\n', { vocabulary: vocab }).text, 'int ab = 1;\n', '`a_b` and `ab_` both fit: no fix');
});

test('vocabulary: two words in a comment stay two words; the same pair in code is joined', async () => {
  const { correctListing, commentStart } = await import('../../ocr/code-corrections.js');
  const vocabulary = new Set(['stub_bits']);
  const text = ['if (stub bits.size() == 0) // continue if no stub bits found', '    continue;'].join('\n');
  const r = correctListing('cpp', text, { vocabulary, disable: new Set(['confusion', 'closing-brace', 'brace', 'hex', 'directive']) });
  assert.equal(r.text.split('\n')[0], 'if (stub_bits.size() == 0) // continue if no stub bits found');
  assert.equal(commentStart('log("a // b"); // c'), 15);
  assert.equal(commentStart('#include <set>'), 14);
  assert.equal(commentStart('x = 1  # stub bits'), 7);
});

test('confusion search is bounded by a parse count, not the clock: the same listing gives the same fixes, and no parses allow no fix', async () => {
  const { fixOcrConfusions } = await import('../../ocr/ocr-confusions.js');
  const text = ['int f(int a) {', '  int b = a + 1O;', '  return b * 2:', '}'].join('\n');
  const a = fixOcrConfusions('c', text);
  const b = fixOcrConfusions('c', text);
  assert.deepEqual(a, b);
  assert.equal(a.text, ['int f(int a) {', '  int b = a + 10;', '  return b * 2;', '}'].join('\n'));
  // One parse is enough for one of the two fixes only.
  assert.equal(fixOcrConfusions('c', text, { maxParses: 1 }).fixes.length <= 1, true);
  assert.deepEqual(fixOcrConfusions('c', text, { maxParses: 0 }).fixes, []);
});

test('confusion: an edit must leave its line parsing clean, not just move the error (MAX INTERVALS, prose in the code font)', async () => {
  const { fixOcrConfusions } = await import('../../ocr/ocr-confusions.js');
  // Underscores lost in a macro name (a 200-DPI scan): a lower error share came from `MAX !NTERVALS` before.
  const macro = '__shared__ float s_left[MAX INTERVALS BLOCK];\n__shared__ float s_right[MAX INTERVALS BLOCK];\n';
  assert.deepEqual(fixOcrConfusions('cuda', macro).fixes, []);
  // A paragraph set in the code font above a call: commas stay commas, in the prose and in the call.
  const prose = 'For both the matrix copy and transpose, the relevant\nperformance metric is the effective bandwidth,\nkernel<<<grid, threads>>>(d_odata, d_ idata, size_x, size_y);\n';
  assert.equal(fixOcrConfusions('cuda', prose).text, prose);
  // A misread that the edit does repair is still fixed.
  const loop = 'for (int i = @; i < n; ++i)\n    sum += a[i];\n';
  assert.deepEqual(fixOcrConfusions('c', loop).fixes, [{ line: 1, from: '@', to: '0' }]);
});

test('confusion: a decrement read `k==;` becomes `k--;` (two characters at once); a real comparison stays', async () => {
  const { fixOcrConfusions } = await import('../../ocr/ocr-confusions.js');
  // binomialOptions p. 9 at 200 DPI: both strokes of `--` thickened into `=`.
  const read = 'for(int k = c_start - 1; k >= c_end;) {\n    __syncthreads();\n    if (tid <= k)\n    callB[tid] = callA[tid + 1];\n    k==;\n}\n';
  const r = fixOcrConfusions('cuda', read);
  assert.equal(r.text, read.replace('k==;', 'k--;'));
  assert.deepEqual(r.fixes, [{ line: 5, from: '==', to: '--' }]);
  const compare = 'if (k == n)\n    k = 0;\n';
  assert.equal(fixOcrConfusions('c', compare).text, compare);
});

test('confusion: a stray stroke read before a bracket or semicolon is dropped where the line then parses (cuda_dxtc p. 6)', async () => {
  const { fixOcrConfusions } = await import('../../ocr/ocr-confusions.js');
  const read = 'cmp[tid] = (values[0] < values[tid]);\ncmp[tid] += (values[4] < values([tid]);\ncmp[tid] += (values[5] < values[tid]):;\nif (tid > 5 && cmp[tid] == cmp([5]) ++cmp[tid];\n';
  const want = 'cmp[tid] = (values[0] < values[tid]);\ncmp[tid] += (values[4] < values[tid]);\ncmp[tid] += (values[5] < values[tid]);\nif (tid > 5 && cmp[tid] == cmp[5]) ++cmp[tid];\n';
  assert.equal(fixOcrConfusions('cuda', read).text, want);
  // Python's call on a list literal keeps its parenthesis: the line parses already.
  const py = 'total = sum([x for x in xs])\n';
  assert.equal(fixOcrConfusions('python', py).text, py);
});
