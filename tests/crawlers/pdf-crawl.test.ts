import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { listLiteratureDocs } from '../../corpus/literature-store.js';
import { makeTempDir, runCli } from '../helpers.js';
import { encryptPdf, makeListingPdf, makePosterPdf, realVerilog, scanPdf, truncatePdf, yosysManual } from '../ocr/pdf-fixtures.js';

/** A folder of documents, good and bad, as a literature crawl meets them. */
function writeShelf(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mul2dsp-notes.pdf'), makeListingPdf({ lines: realVerilog(), caption: 'Listing 4.1: mul2dsp.v' }));
  encryptPdf(join(dir, 'mul2dsp-notes.pdf'), join(dir, 'encrypted.pdf'));
  truncatePdf(yosysManual(), join(dir, 'truncated.pdf'), 0.4);
  writeFileSync(join(dir, 'renamed.pdf'), 'this is a text file with a .pdf name\n');
  writeFileSync(join(dir, 'poster.pdf'), makePosterPdf());
}

test('crawl pdf <dir>: good documents become repositories of snippets, bad ones are recorded with a reason', () => {
  const tmp = makeTempDir();
  const db = join(tmp, 'c.db');
  writeShelf(join(tmp, 'shelf'));
  const r = runCli(['--db', db, 'crawl', 'pdf', join(tmp, 'shelf'), '--ocr-workers', '1', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout) as Array<{ uri: string; status: string; reason: string | null; repo: string | null; snippets: number }>;
  const by = (name: string) => results.find((x) => x.uri.endsWith(name))!;
  assert.equal(by('mul2dsp-notes.pdf').status, 'ok');
  assert.equal(by('mul2dsp-notes.pdf').repo, 'pdf/mul2dsp-notes');
  assert.equal(by('mul2dsp-notes.pdf').snippets, 1);
  assert.deepEqual([by('encrypted.pdf').status, by('encrypted.pdf').reason], ['failed', 'encrypted PDF (needs a password)']);
  assert.equal(by('truncated.pdf').status, 'failed');
  assert.match(by('truncated.pdf').reason!, /not a valid PDF/);
  assert.match(by('renamed.pdf').reason!, /not a PDF/);
  assert.equal(by('poster.pdf').status, 'partial');
  assert.match(by('poster.pdf').reason!, /page 1: page too large to render/);

  const c = openCorpus(db);
  assert.equal(listLiteratureDocs(c).filter((d) => d.status === 'failed').length, 3);
  c.close();

  // The snippet flows through rebuild and export like any crawled file.
  assert.equal(runCli(['--db', db, 'rebuild']).status, 0);
  const why = runCli(['--db', db, 'why', 'pdf/mul2dsp-notes:p0001-listing-01.v']);
  assert.equal(why.status, 0, why.stderr);
  assert.match(why.stdout, /extracted: page 1-3 of .*mul2dsp-notes\.pdf \(text-layer, box \{"page":1/);
  assert.match(why.stdout, /caption "Listing 4\.1: mul2dsp\.v"; verilog, validity/);
  const out = join(tmp, 'out');
  assert.equal(runCli(['--db', db, 'export', '--out', out, '--fim-rate', '0']).status, 0);
  const records = readFileSync(join(out, 'train-00000.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; meta: Record<string, unknown> });
  const rec = records.find((x) => x.meta.repo === 'pdf/mul2dsp-notes');
  assert.ok(rec, 'the snippet is exported');
  assert.equal(rec.meta.source, 'pdf');
  assert.equal(rec.meta.lang, 'verilog');
  // The code arrives intact (the PII stage redacts the authors' e-mail addresses in the header comment).
  assert.ok(rec.text.endsWith(realVerilog().slice(20).join('\n').replace(/\n+$/, '') + '\n'));

  // Re-crawling the same shelf adds nothing.
  const again = JSON.parse(runCli(['--db', db, 'crawl', 'pdf', join(tmp, 'shelf', 'mul2dsp-notes.pdf'), '--json']).stdout) as Array<{ counts: { unchanged: number; added: number } }>;
  assert.deepEqual([again[0]!.counts.added, again[0]!.counts.unchanged], [0, 1]);
});

test('crawl pdf: time, memory and page budgets stop a document with a recorded reason', () => {
  const tmp = makeTempDir();
  const db = join(tmp, 'c.db');
  const slow = runCli(['--db', db, 'crawl', 'pdf', yosysManual(), '--timeout', '1']);
  assert.equal(slow.status, 1);
  assert.match(slow.stdout, /FAILED .*manual\.pdf: time budget: not done after 1 s/);
  const hungry = runCli(['--db', db, 'crawl', 'pdf', yosysManual(), '--max-heap', '4']);
  assert.equal(hungry.status, 1);
  assert.match(hungry.stdout, /memory budget: over 4 MiB/);
  const long = runCli(['--db', db, 'crawl', 'pdf', yosysManual(), '--max-pages', '30']);
  assert.equal(long.status, 0, long.stderr);
  assert.match(long.stdout, /crawled pdf\/manual: \d+ snippets \(30 text-layer pages, 0 OCR pages\).*partial: page 31: page budget: 286 pages, only 30 read/);
});

test('crawl pdf: a missing path is a usage-level failure, a URL that cannot be fetched is recorded', () => {
  const tmp = makeTempDir();
  const missing = runCli(['--db', join(tmp, 'c.db'), 'crawl', 'pdf', join(tmp, 'nope.pdf')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no such file or directory/);
  // Port 9 on 127.0.0.1 (discard) is closed: a refused connection, no internet involved.
  const url = runCli(['--db', join(tmp, 'c.db'), 'crawl', 'pdf', 'http://127.0.0.1:9/paper.pdf']);
  assert.equal(url.status, 1);
  assert.match(url.stdout, /FAILED http:\/\/127\.0\.0\.1:9\/paper\.pdf: cannot fetch/);
});

test('crawl pdf: scanned documents share one OCR pool; snippets carry their OCR provenance and corrections', () => {
  const tmp = makeTempDir();
  const shelf = join(tmp, 'scans');
  mkdirSync(shelf, { recursive: true });
  scanPdf(yosysManual(), join(shelf, 'delay-line.pdf'), { first: 23, last: 23, dpi: 200 }, tmp);
  scanPdf(yosysManual(), join(shelf, 'flip-flop.pdf'), { first: 36, last: 36, dpi: 200 }, tmp);
  const db = join(tmp, 'c.db');
  const r = runCli(['--db', db, 'crawl', 'pdf', shelf, '--ocr-workers', '1', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout) as Array<{ uri: string; status: string; pagesOcr: number; snippets: number }>;
  assert.deepEqual(results.map((x) => [x.status, x.pagesOcr]), [['ok', 1], ['ok', 1]]);
  assert.ok(results.every((x) => x.snippets >= 1), JSON.stringify(results));
  const why = runCli(['--db', db, 'why', 'pdf/delay-line:p0001-listing-01.v', '--json']);
  assert.equal(why.status, 0, why.stderr);
  const e = JSON.parse(why.stdout) as { literature: { method: string; lang: string; details: { ocrFixes?: Array<{ kind: string; line: number; from: string; to: string }> } } };
  assert.equal(e.literature.method, 'ocr');
  assert.equal(e.literature.lang, 'verilog');
  assert.ok(Array.isArray(e.literature.details.ocrFixes), 'OCR snippets record their corrections (possibly none)');
  for (const f of e.literature.details.ocrFixes!) assert.ok(['vocabulary', 'hex', 'brace', 'directive', 'closing-brace', 'confusion'].includes(f.kind), JSON.stringify(f));
  const text = runCli(['--db', db, 'why', 'pdf/delay-line:p0001-listing-01.v']).stdout;
  assert.match(text, /extracted: page 1 of .*delay-line\.pdf \(ocr, box/);
  if (e.literature.details.ocrFixes!.length > 0) assert.match(text, /ocr corrections: \w/);
});
