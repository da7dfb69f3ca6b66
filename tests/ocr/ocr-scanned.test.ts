import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractDocument } from '../../ocr/extract-document.js';
import { toSnippet } from '../../ocr/listing-snippets.js';
import { fixOcrConfusions } from '../../ocr/ocr-confusions.js';
import { ocrPage } from '../../ocr/ocr-page.js';
import { createOcrEngine, englishModel } from '../../ocr/tesseract-pool.js';
import { makeTempDir } from '../helpers.js';
import { scanPdf, yosysManual } from './pdf-fixtures.js';
import { characterErrorRate } from './ocr-metrics.js';

test('the English model comes from the installed @tesseract.js-data/eng package, never a CDN', () => {
  const m = englishModel();
  assert.match(m.langPath, /node_modules\/@tesseract\.js-data\/eng\//);
  assert.equal(m.gzip, true);
  assert.ok(readFileSync(join(m.langPath, 'eng.traineddata.gz')).length > 1e6);
});

test('a scanned page of the Yosys manual: OCR finds the listing with its indentation; text layer is the ground truth', async () => {
  const dir = makeTempDir();
  const scan = scanPdf(yosysManual(), join(dir, 'p23-scan.pdf'), { first: 23, last: 23, dpi: 200 }, dir);
  const truth = (await extractDocument(new Uint8Array(readFileSync(yosysManual())), { firstPage: 23, maxPages: 1, ocr: 'off' })).listings[0]!;
  const engine = await createOcrEngine({ workers: 1 });
  try {
    const r = await extractDocument(new Uint8Array(readFileSync(scan)), { ocrPage: (p, n) => ocrPage(p, n, engine) });
    assert.equal(r.pagesOcr, 1);
    assert.equal(r.pagesText, 0);
    assert.equal(r.listings.length, 1);
    const l = r.listings[0]!;
    assert.equal(l.method, 'ocr');
    const s = toSnippet(l);
    assert.equal(s.lang, 'verilog');
    const cer = characterErrorRate(s.text, truth.text);
    assert.ok(cer < 0.05, `character error rate ${cer.toFixed(3)} against the text layer\n${s.text}`);
    const lines = s.text.split('\n');
    assert.ok(lines.some((x) => /^ {8}ffs\s*\[0\]/.test(x)), 'one tab of indentation from word boxes');
    assert.ok(lines.some((x) => /^ {16}ffs\s*\[i\]/.test(x)), 'two tabs of indentation from word boxes');
    assert.ok(s.validity !== null && s.validity > 0.95, `validity ${s.validity}`);
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
