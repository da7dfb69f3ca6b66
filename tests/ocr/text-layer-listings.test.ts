import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractDocument, type ExtractedListing } from '../../ocr/extract-document.js';
import { toSnippet } from '../../ocr/listing-snippets.js';
import { makeListingPdf, realVerilog, verilatorManual, yosysManual } from './pdf-fixtures.js';

const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const find = (ls: readonly ExtractedListing[], needle: string): ExtractedListing => {
  const l = ls.find((x) => x.text.includes(needle));
  assert.ok(l, `no listing contains ${JSON.stringify(needle)}; got:\n${ls.map((x) => x.text.slice(0, 80)).join('\n---\n')}`);
  return l;
};

test('Yosys manual p.23: the delay-line listing, line numbers and running head removed, tabs rebuilt from x', async () => {
  const r = await extractDocument(read(yosysManual()), { firstPage: 21, maxPages: 5, ocr: 'off' });
  assert.equal(r.pagesText, 5);
  const l = find(r.listings, 'STAGES');
  assert.equal(l.pageFrom, 23);
  assert.equal(l.method, 'text-layer');
  assert.ok(l.lineNumbersRemoved);
  const lines = l.text.split('\n');
  assert.match(lines[0]!, /^module \(/, 'no line number left at the start');
  assert.equal(lines[1], '', 'numbered blank line 2 is kept as a blank line');
  assert.ok(lines.includes('        ffs [0] <= in_data ;'), 'one tab of indentation = 8 columns');
  assert.ok(lines.includes('                ffs [i] <= ffs [i -1];'), 'two tabs = 16 columns');
  assert.equal(lines.at(-2), 'endmodule');
  assert.doesNotMatch(l.text, /CHAPTER|BASIC PRINCIPLES/);
  assert.match(l.context!, /Consider the following delay circuit:$/);
  const s = toSnippet(l);
  assert.equal(s.lang, 'verilog');
  assert.equal(s.ext, 'v');
  assert.ok(s.validity !== null && s.validity > 0.9, `validity ${s.validity}`);
  assert.ok(l.boxes[0]!.x0 > 60 && l.boxes[0]!.y1 > l.boxes[0]!.y0);
});

test('Yosys manual pp.62-64: a listing that runs over two page breaks is one snippet without page furniture', async () => {
  const r = await extractDocument(read(yosysManual()), { firstPage: 60, maxPages: 6, ocr: 'off' });
  const l = find(r.listings, 'static void find_stub_nets');
  assert.equal(l.pageFrom, 62);
  assert.equal(l.pageTo, 64);
  assert.equal(l.boxes.length, 3);
  assert.match(l.text, /PRIVATE_NAMESPACE_END/);
  assert.doesNotMatch(l.text, /CHAPTER 6|PROGRAMMING YOSYS EXTENSIONS/);
  assert.doesNotMatch(l.text, /^\s*6[234]\s*$/m, 'no page numbers');
  assert.doesNotMatch(l.text, /\u2423/, 'visible-space glyphs become spaces');
  assert.equal(toSnippet(l).lang, 'cpp');
});

test('verilator.pdf: code in an unnamed Type 3 font is found by its shape (Sphinx output)', async () => {
  const r = await extractDocument(read(verilatorManual()), { firstPage: 5, maxPages: 4, ocr: 'off' });
  const l = find(r.listings, 'int main(int argc, char** argv) {');
  assert.match(l.text, /#include "verilated.h"/);
  assert.ok(r.listings.some((x) => /^\s*module our;/m.test(x.text)));
});

test('a generated 3-page PDF of a real Yosys source: every line and indent exact, numbers and furniture gone', async () => {
  const source = realVerilog();
  const pdf = makeListingPdf({ lines: source, caption: 'Listing 4.1: mul2dsp.v' });
  const r = await extractDocument(new Uint8Array(pdf), { ocr: 'off' });
  assert.equal(r.listings.length, 1, r.listings.map((l) => l.text.slice(0, 60)).join('\n---\n'));
  const l = r.listings[0]!;
  assert.equal(l.pageFrom, 1);
  assert.equal(l.pageTo, 3);
  assert.equal(l.caption, 'Listing 4.1: mul2dsp.v');
  const expected = source.join('\n').replace(/^\n+|\n+$/g, '') + '\n';
  assert.equal(l.text, expected);
  const s = toSnippet(l);
  assert.equal(s.ext, 'v', 'the file name in the caption decides the extension');
  assert.equal(s.details.languageBy, 'filename');
});

test('a page of prose with inline code has no listings', async () => {
  const r = await extractDocument(read(yosysManual()), { firstPage: 12, maxPages: 1, ocr: 'off' });
  assert.equal(r.listings.length, 0, r.listings.map((l) => l.text).join('\n---\n'));
});
