import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractDocument } from '../../ocr/extract-document.js';
import { documentVocabulary, toSnippet } from '../../ocr/listing-snippets.js';
import { fixOcrConfusions } from '../../ocr/ocr-confusions.js';
import { ocrPage } from '../../ocr/ocr-page.js';
import { createOcrEngine, englishModel } from '../../ocr/tesseract-pool.js';
import { makeTempDir } from '../helpers.js';
import { scanPdf, verilatorManual, yosysManual } from './pdf-fixtures.js';
import { rates, scoreListing } from './ocr-metrics.js';

test('the English model comes from the installed @tesseract.js-data/eng package, never a CDN', () => {
  const m = englishModel();
  assert.match(m.langPath, /node_modules\/@tesseract\.js-data\/eng\//);
  assert.equal(m.gzip, true);
  assert.ok(readFileSync(join(m.langPath, 'eng.traineddata.gz')).length > 1e6);
});

test('a scanned page of the Yosys manual at 200 DPI: the first line, underscores, brackets and indentation survive; text layer is the ground truth', async () => {
  const dir = makeTempDir();
  const scan = scanPdf(yosysManual(), join(dir, 'p23-scan.pdf'), { first: 23, last: 23, dpi: 200 }, dir);
  const truth = (await extractDocument(new Uint8Array(readFileSync(yosysManual())), { firstPage: 23, maxPages: 1, ocr: 'off' })).listings[0]!;
  const engine = await createOcrEngine({ workers: 1 });
  try {
    const r = await extractDocument(new Uint8Array(readFileSync(scan)), { ocrPage: (p, n) => ocrPage(p, n, engine) });
    assert.equal(r.pagesOcr, 1);
    assert.equal(r.pagesText, 0);
    assert.equal(r.listings.length, 1, r.listings.map((l) => l.text).join('\n---\n'));
    const l = r.listings[0]!;
    assert.equal(l.method, 'ocr');
    const s = toSnippet(l, { vocabulary: documentVocabulary(r.listings) });
    assert.equal(s.lang, 'verilog');
    const score = scoreListing(s.text, truth.text);
    const rate = rates(score);
    assert.ok(rate.cer < 0.03, `character error rate ${rate.cer.toFixed(3)} against the text layer\n${s.text}`);
    assert.equal(score.firstLineKept, 1, 'the listing starts with its module line');
    assert.match(s.text.split('\n')[0]!, /^module \(clk, in_data, out_data\);$/);
    assert.equal(rate.underscored, 1, 'in_data, out_data: every identifier with an underscore exact');
    assert.ok(rate.indent >= 0.95, `indentation exact on ${(rate.indent * 100).toFixed(1)} % of lines`);
    const lines = s.text.split('\n');
    assert.ok(lines.includes('        for (i = 1; i < STAGES; i = i+1)'), 'one tab of indentation, spacing on the glyph grid');
    assert.ok(lines.some((x) => /^ {16}ffs\[i\] <= ffs\[i-1\];$/.test(x)), 'two tabs of indentation, brackets kept');
    assert.ok(s.validity !== null && s.validity > 0.95, `validity ${s.validity}`);
    assert.ok(Array.isArray(s.details.ocrFixes));
    for (const f of s.details.ocrFixes!) assert.ok(f.kind && typeof f.line === 'number', JSON.stringify(f));
  } finally {
    await engine.close();
  }
});

test('a listing set in a proportional font on a scan (verilator.pdf p.6 as poppler renders it) is found by its code shape', async () => {
  const dir = makeTempDir();
  const scan = scanPdf(verilatorManual(), join(dir, 'v6-scan.pdf'), { first: 6, last: 6, dpi: 200 }, dir);
  const engine = await createOcrEngine({ workers: 1 });
  try {
    const r = await extractDocument(new Uint8Array(readFileSync(scan)), { ocrPage: (p, n) => ocrPage(p, n, engine) });
    const main = r.listings.find((l) => l.text.includes('int main(int argc, char** argv) {'));
    assert.ok(main, r.listings.map((l) => l.text).join('\n---\n'));
    assert.match(main.text, /#include "verilated\.h"/);
    assert.match(main.text, /while \(!contextp->gotFinish\(\)\) \{ top->eval\(\); \}/);
  } finally {
    await engine.close();
  }
});

test('OCR confusions are fixed only where the grammar agrees', () => {
  const verilog = fixOcrConfusions('verilog', 'module m;\n  reg [3:0] ffs;\n  always @(posedge c) ffs[@] <= 1;\nendmodule\n');
  assert.match(verilog.text, /ffs\[0\] <= 1/);
  assert.match(verilog.text, /always @\(posedge/, 'a legal @ is left alone');
  assert.deepEqual(verilog.fixes, [{ line: 3, from: '@', to: '0' }]);
  const c = fixOcrConfusions('c', 'int x = 1O;\nint lO = 1;\n');
  assert.equal(c.text, 'int x = 10;\nint lO = 1;\n', 'lO is a legal identifier, so it stays');
  const quoted = fixOcrConfusions('c', 'char *s = \u201chi\u201d;\n');
  assert.equal(quoted.text, 'char *s = "hi";\n');
  assert.deepEqual(fixOcrConfusions('tcl', 'puts 1O').fixes, [], 'no grammar, no changes');
});
