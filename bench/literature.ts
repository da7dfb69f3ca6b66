/**
 * `npm run bench:literature`: accuracy and speed of the literature crawler on
 * real documents nobody here wrote (Debian's yosys-doc and verilator manuals,
 * and PDFs typeset from real Yosys sources), side by side with the native
 * tools on the same input: `pdftotext` (poppler-utils) for the text layer and
 * the `tesseract` CLI (tesseract-ocr) for OCR. Prints markdown tables.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractDocument, type ExtractedListing } from '../ocr/extract-document.js';
import { toSnippet } from '../ocr/listing-snippets.js';
import { ocrPage } from '../ocr/ocr-page.js';
import { createOcrEngine } from '../ocr/tesseract-pool.js';
import { makeListingPdf, realVerilog, requireCommand, verilatorManual, yosysManual } from '../tests/ocr/pdf-fixtures.js';
import { characterErrorRate, indentAccuracy } from '../tests/ocr/ocr-metrics.js';

const WORKERS = 2;
/** Yosys manual pages with Verilog and C++ listings (numbered, tab-indented, one spanning a page break). */
const SCANNED_PAGES = [23, 36, 62, 63];
const SOURCES = ['mul2dsp.v', 'cmp2lut.v', 'pmux2mux.v', 'adff2dff.v', 'cmp2lcu.v'].map((f) => `/usr/share/yosys/${f}`);

const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const seconds = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
};

async function textLayerSpeed(): Promise<string[]> {
  const rows: string[] = [];
  for (const pdf of [yosysManual(), verilatorManual()]) {
    const [r, ours] = await seconds(() => extractDocument(read(pdf), { ocr: 'off' }));
    const [, native] = await seconds(async () => execFileSync('pdftotext', ['-layout', pdf, '/dev/null']));
    rows.push(`| ${pdf.split('/').pop()} | ${r.pages} | ${r.listings.length} | ${(r.pages / ours).toFixed(0)} | ${(r.pages / native).toFixed(0)} | ${(native / ours).toFixed(2)} |`);
  }
  return rows;
}

/** Indentation on generated PDFs of real sources: the source file is the ground truth. */
async function textLayerIndent(lineNumbers: boolean): Promise<{ exact: number; total: number; files: number; identical: number }> {
  let exact = 0, total = 0, identical = 0;
  for (const file of SOURCES) {
    const lines = realVerilog(file, 400);
    const truth = lines.join('\n').replace(/^\n+|\n+$/g, '') + '\n';
    const r = await extractDocument(new Uint8Array(makeListingPdf({ lines, lineNumbers })), { ocr: 'off' });
    const got = r.listings.map((l) => l.text).join('');
    const a = indentAccuracy(got, truth);
    exact += a.exact;
    total += a.total;
    if (got === truth) identical++;
  }
  return { exact, total, files: SOURCES.length, identical };
}

/** Scans pages at 300 DPI (pdftoppm), wraps them (img2pdf), and runs both OCR pipelines on them. */
async function ocrComparison(dir: string): Promise<string[]> {
  const pngs: string[] = [];
  const [, rasterSec] = await seconds(async () => {
    for (const p of SCANNED_PAGES) execFileSync('pdftoppm', ['-f', String(p), '-l', String(p), '-r', '300', '-gray', '-png', yosysManual(), join(dir, `yosys-${p}`)]);
  });
  for (const f of readdirSync(dir).filter((f) => f.startsWith('yosys-') && f.endsWith('.png')).sort()) pngs.push(join(dir, f));
  const scan = join(dir, 'scan.pdf');
  execFileSync('img2pdf', [...pngs, '-o', scan]);

  const engine = await createOcrEngine({ workers: WORKERS });
  let ocr: Awaited<ReturnType<typeof extractDocument>>;
  let oursSec: number;
  try {
    // Each page is its own extraction (so listings compare page by page with the
    // text layer); all are in flight at once and share the pool.
    [ocr, oursSec] = await seconds(async () => {
      const parts = await Promise.all(SCANNED_PAGES.map((_, i) => extractDocument(read(scan), { firstPage: i + 1, maxPages: 1, ocrPage: (pg, n) => ocrPage(pg, n, engine) })));
      return { ...parts[0]!, listings: parts.flatMap((p) => p.listings) };
    });
  } finally {
    await engine.close();
  }
  const nativeSec = await tesseractCli(pngs);

  const truth: ExtractedListing[] = [];
  for (const p of SCANNED_PAGES) truth.push(...(await extractDocument(read(yosysManual()), { firstPage: p, maxPages: 1, ocr: 'off' })).listings);
  const rows: string[] = [];
  let chars = 0, errors = 0, exact = 0, total = 0;
  const ocrTexts = ocr.listings.map((l) => toSnippet(l).text);
  for (const t of truth) {
    const best = ocrTexts
      .map((l) => ({ l, cer: characterErrorRate(l, t.text) }))
      .sort((a, b) => a.cer - b.cer)[0];
    const n = t.text.replace(/\s+/g, '').length;
    const cer = best ? best.cer : 1;
    const ind = best ? indentAccuracy(best.l, t.text) : { exact: 0, total: t.text.split('\n').filter((x) => x.trim()).length };
    chars += n;
    errors += cer * n;
    exact += ind.exact;
    total += ind.total;
    rows.push(`| p.${t.pageFrom} ${t.text.split('\n')[0]!.slice(0, 40).replace(/\|/g, '\\|')} | ${n} | ${(cer * 100).toFixed(2)} % | ${ind.exact}/${ind.total} |`);
  }
  rows.push(`| **all listings** | ${chars} | **${((errors / chars) * 100).toFixed(2)} %** | **${exact}/${total} (${((exact / total) * 100).toFixed(1)} %)** |`);
  const pages = SCANNED_PAGES.length;
  rows.push('', '| OCR, 300 DPI, ' + `${WORKERS} workers | pages | s | pages/s |`, '|---|---|---|---|');
  rows.push(`| incorpus (pdfjs render + tesseract.js) | ${pages} | ${oursSec.toFixed(1)} | ${(pages / oursSec).toFixed(2)} |`);
  rows.push(`| pdftoppm + tesseract CLI (${WORKERS} processes) | ${pages} | ${(rasterSec + nativeSec).toFixed(1)} | ${(pages / (rasterSec + nativeSec)).toFixed(2)} |`);
  rows.push(`| ratio incorpus / native | | | ${((rasterSec + nativeSec) / oursSec).toFixed(2)} |`);
  return rows;
}

/** The tesseract CLI on the same images, one single-threaded process per core (as fair as our pool). */
async function tesseractCli(pngs: string[]): Promise<number> {
  const queue = [...pngs];
  const run = (): Promise<void> => {
    const png = queue.shift();
    if (!png) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const p = spawn('tesseract', [png, png.replace(/\.png$/, ''), '--dpi', '300', '-l', 'eng'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: 'ignore' });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tesseract exited ${code}`))));
    }).then(run);
  };
  const [, sec] = await seconds(() => Promise.all(Array.from({ length: WORKERS }, run)));
  return sec;
}

async function main(): Promise<void> {
  for (const [cmd, pkg] of [['pdftotext', 'poppler-utils'], ['pdftoppm', 'poppler-utils'], ['img2pdf', 'img2pdf'], ['tesseract', 'tesseract-ocr']] as const) requireCommand(cmd, pkg);
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-lit-'));
  const out: string[] = ['## Literature: text layer', '', '| document | pages | listings | incorpus pages/s | pdftotext -layout pages/s | ratio incorpus / pdftotext |', '|---|---|---|---|---|---|'];
  out.push(...(await textLayerSpeed()));
  out.push('', `Indentation, text layer: ${SOURCES.length} real Yosys sources (${SOURCES.map((f) => f.split('/').pop()).join(', ')}) typeset into PDFs with running heads, page numbers and page breaks:`, '');
  for (const numbered of [true, false]) {
    const ind = await textLayerIndent(numbered);
    out.push(`- ${numbered ? 'with' : 'without'} line numbers: ${ind.exact}/${ind.total} lines with exact indentation (${((ind.exact / ind.total) * 100).toFixed(1)} %), ${ind.identical}/${ind.files} files byte-identical to the source`);
  }
  out.push('', `## Literature: OCR of scanned Yosys manual pages ${SCANNED_PAGES.join(', ')} (text layer = ground truth)`, '', '| listing | chars | CER (whitespace-insensitive) | lines with exact indentation |', '|---|---|---|---|');
  out.push(...(await ocrComparison(dir)));
  const text = out.join('\n') + '\n';
  writeFileSync(join(dir, 'literature.md'), text);
  process.stdout.write(text);
}

await main();
