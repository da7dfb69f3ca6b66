import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBulletedList } from '../../ocr/bullet-lists.js';
import { extractDocument } from '../../ocr/extract-document.js';
import { ocrPage } from '../../ocr/ocr-page.js';
import { createOcrEngine } from '../../ocr/tesseract-pool.js';
import { makeTempDir } from '../helpers.js';
import { libtasn1Manual, scanPdf } from './pdf-fixtures.js';

test('isBulletedList: bullets and, in OCR text, tesseract\'s misreads of them; code starting with `e`/`o` is no list', () => {
  assert.ok(isBulletedList('\u2022 INTEGER;\n\u2022 BOOLEAN;\n\u2022 BIT STRING;\n', false));
  const ocr = 'eo ENUMERATED;\neo BOOLEAN;\ne (OBJECT IDENTIFIER;\ne NULL;\n\u00ae GeneralizedTime;\n';
  assert.ok(isBulletedList(ocr, true));
  assert.ok(!isBulletedList(ocr, false), 'on the text layer `e` is a letter, not a bullet');
  assert.ok(!isBulletedList('e = next(e);\no = e + 1;\ne += o;\n', true));
  assert.ok(!isBulletedList('\u2022 one\n\u2022 two\n', false), 'two lines are too few to call');
});

test('a scanned Texinfo page (libtasn1 manual p. 6, 200 DPI): the bulleted list of types in the code font is no listing, the ASN.1 module is', async () => {
  const dir = makeTempDir();
  const scan = scanPdf(libtasn1Manual(), join(dir, 'p6-scan.pdf'), { first: 6, last: 6, dpi: 200 }, dir);
  const engine = await createOcrEngine({ workers: 1 });
  try {
    const r = await extractDocument(new Uint8Array(readFileSync(scan)), { ocrPage: (p, n) => ocrPage(p, n, engine) });
    const texts = r.listings.map((l) => l.text);
    assert.ok(texts.every((t) => !/SEQUENCE OF;/.test(t)), `the list of types came back as a listing:\n${texts.join('\n---\n')}`);
    assert.ok(texts.some((t) => /^Example \{ 1 2 3 4 \}/.test(t) && /Group ::= SEQUENCE \{/.test(t)), texts.join('\n---\n'));
  } finally {
    await engine.close();
  }
});
