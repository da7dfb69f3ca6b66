/**
 * `npm run bench:literature`: accuracy and speed of the literature crawler on
 * real documents nobody here wrote (Debian's yosys-doc and verilator manuals,
 * and PDFs typeset from real Yosys sources), side by side with the native
 * tools on the same input: `pdftotext` (poppler-utils) for the text layer and
 * the `tesseract` CLI (tesseract-ocr) for OCR. Prints markdown tables.
 * `node dist/bench/literature.js [folder of CUDA whitepapers]` (or INCORPUS_CUDA_PDFS).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CORRECTION_KINDS } from '../ocr/code-corrections.js';
import { extractDocument, type ExtractedListing } from '../ocr/extract-document.js';
import type { OcrPageOptions } from '../ocr/ocr-page.js';
import { createOcrEngine } from '../ocr/tesseract-pool.js';
import { makeListingPdf, realVerilog, requireCommand, verilatorManual, yosysManual } from '../tests/ocr/pdf-fixtures.js';
import { addScores, emptyScore, indentAccuracy, type ListingScore } from '../tests/ocr/ocr-metrics.js';
import { ALL_OFF, ALL_ON, cliCeiling, ocrScan, scan, scanDocuments, scoreDocument, scoreRow, SCORE_HEADER, speedRun, truthPages, type ScanDoc } from './ocr-scans.js';

const WORKERS = 2;
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

/** Scan resolutions (INCORPUS_BENCH_DPIS, e.g. `200`). */
const DPIS = (process.env.INCORPUS_BENCH_DPIS ?? '150,200,300').split(',').map(Number);
/**
 * Parts run (INCORPUS_BENCH_PARTS, comma-separated): `text` (text-layer speed and
 * indentation), `speed` (20-page OCR pages/s vs the CLI), `ocr` (accuracy at each
 * DPI), `prep` (image-preparation variants). Default: all. The speed part alone
 * can then take the benchmark lock briefly; accuracy does not depend on load.
 */
const PARTS = new Set((process.env.INCORPUS_BENCH_PARTS ?? 'text,speed,ocr,prep').split(','));
/** Listing pages scanned per held-out document (INCORPUS_BENCH_PAGES_PER_DOC). */
const PER_DOC = Number(process.env.INCORPUS_BENCH_PAGES_PER_DOC ?? 2);

/** OCR accuracy at three scan resolutions, tuning and held-out documents apart, with each correction left out in turn. */
async function ocrAccuracy(dir: string, cudaDir: string | undefined): Promise<string[]> {
  const { docs, notes } = scanDocuments(dir, cudaDir);
  const out: string[] = [...notes.map((n) => `- ${n}`), ''];
  const log = (lines: string[]): void => void process.stdout.write(lines.join('\n') + '\n');
  const truth = new Map<ScanDoc, Map<number, ExtractedListing[]>>();
  const excluded: string[] = [];
  for (const d of docs) truth.set(d, await truthPages(d, PER_DOC, excluded));
  out.push(...excluded.map((e) => `- ${e}`), '');
  out.push('Documents (pages scanned): ' + docs.map((d) => `${d.name} [${d.role}] pp. ${[...truth.get(d)!.keys()].join(', ') || 'none'}`).join('; '), '');
  const engine = await createOcrEngine({ workers: WORKERS });
  try {
    for (const dpi of PARTS.has('ocr') ? DPIS : []) {
      const scores = new Map<string, ListingScore>();
      const add = (key: string, s: ListingScore): void => void scores.set(key, addScores(scores.get(key) ?? emptyScore(), s));
      for (const d of docs) {
        const pages = [...truth.get(d)!.keys()];
        if (pages.length === 0) continue;
        const { pdf, pngs } = scan(d.path, pages, dpi, join(dir, `${d.name.replace(/\W+/g, '-')}-${dpi}`));
        const ocr = await ocrScan(pdf, pages, engine);
        const t = truth.get(d)!;
        add(`${d.role}|all`, scoreDocument(t, ocr, ALL_ON));
        add(`${d.role}|cli`, cliCeiling(t, pngs, dpi));
        add(`${d.role}|none`, scoreDocument(t, ocr, ALL_OFF));
        if (dpi === 200) {
          for (const k of CORRECTION_KINDS) add(`${d.role}|-${k}`, scoreDocument(t, ocr, new Set([k])));
          add(`doc|${d.name}`, scoreDocument(t, ocr, ALL_ON));
          add(`cli|${d.name}`, cliCeiling(t, pngs, dpi));
        }
      }
      out.push(`### ${dpi} DPI`, '', ...SCORE_HEADER);
      for (const role of ['held-out', 'tuning']) {
        out.push(scoreRow(`**${role}, all corrections**`, scores.get(`${role}|all`) ?? emptyScore()));
        out.push(scoreRow(`${role}, no corrections`, scores.get(`${role}|none`) ?? emptyScore()));
        out.push(scoreRow(`${role}: \`tesseract\` CLI, whole page, listing lines picked by an oracle (ceiling)`, scores.get(`${role}|cli`) ?? emptyScore()));
        if (dpi === 200) for (const k of CORRECTION_KINDS) out.push(scoreRow(`${role}, without ${k}`, scores.get(`${role}|-${k}`) ?? emptyScore()));
      }
      if (dpi === 200) {
        for (const d of docs) {
          if (!scores.has(`doc|${d.name}`)) continue;
          out.push(scoreRow(`200 DPI: ${d.name} [${d.role}]`, scores.get(`doc|${d.name}`)!));
          out.push(scoreRow(`200 DPI: ${d.name}, CLI ceiling`, scores.get(`cli|${d.name}`)!));
        }
      }
      out.push('');
      log(out.splice(0));
    }
    if (PARTS.has('prep')) out.push(...(await preparation(dir, docs.filter((d) => d.role === 'tuning'), truth, engine)));
  } finally {
    await engine.close();
  }
  return out;
}

/** Image preparation and region choices, each left out in turn, on the tuning documents at 200 DPI. */
async function preparation(dir: string, docs: readonly ScanDoc[], truth: Map<ScanDoc, Map<number, ExtractedListing[]>>, engine: Awaited<ReturnType<typeof createOcrEngine>>): Promise<string[]> {
  const variants: Array<[string, OcrPageOptions]> = [
    ['as shipped (regions upscaled to 40 px rows, Otsu)', {}],
    ['no upscaling of listing regions', { targetRowHeight: 1 }],
    ['regions upscaled to 60 px rows', { targetRowHeight: 60 }],
    ['Sauvola binarization (tesseract thresholding_method 2)', { params: { thresholding_method: '2' } }],
    ['layout at 300 DPI instead of 200', { dpi: 300 }],
    ['no underscores from ink', { inkUnderscores: false }],
    ['no declaration-line growth', { growHead: false }],
  ];
  const out = ['### Image preparation (tuning documents, 200 DPI scans, all corrections)', '', ...SCORE_HEADER];
  for (const [label, opts] of variants) {
    let total = emptyScore();
    for (const d of docs) {
      const pages = [...truth.get(d)!.keys()];
      const { pdf } = scan(d.path, pages, 200, join(dir, `${d.name.replace(/\W+/g, '-')}-200`));
      total = addScores(total, scoreDocument(truth.get(d)!, await ocrScan(pdf, pages, engine, opts), ALL_ON));
    }
    out.push(scoreRow(label, total));
  }
  return [...out, ''];
}

async function main(): Promise<void> {
  for (const [cmd, pkg] of [['pdftotext', 'poppler-utils'], ['pdftoppm', 'poppler-utils'], ['img2pdf', 'img2pdf'], ['tesseract', 'tesseract-ocr']] as const) requireCommand(cmd, pkg);
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-lit-'));
  const out: string[] = [];
  const flush = (): void => void process.stdout.write(out.splice(0).join('\n') + '\n');
  if (PARTS.has('text')) await textLayer(out);
  flush();
  const cudaDir = process.argv[2] ?? process.env.INCORPUS_CUDA_PDFS;
  if (PARTS.has('speed')) {
    const speedDoc = cudaDir && existsSync(join(cudaDir, 'nbody_gems3_ch31.pdf')) ? join(cudaDir, 'nbody_gems3_ch31.pdf') : yosysManual();
    const speedPages = speedDoc === yosysManual() ? Array.from({ length: 20 }, (_, i) => 60 + i) : Array.from({ length: 20 }, (_, i) => i + 1);
    out.push('', `## Literature: OCR speed, a 20-page scan at 200 DPI (${speedDoc.split('/').pop()} pp. ${speedPages[0]}-${speedPages.at(-1)}, held out)`, '', '| | pages | s | pages/s | CPU s/page | |', '|---|---|---|---|---|---|');
    out.push(...(await speedRun(speedDoc, speedPages, 200, join(dir, 'speed'), WORKERS)));
    flush();
  }
  if (PARTS.has('ocr') || PARTS.has('prep')) {
    out.push('', '## Literature: OCR of scanned listing pages (text layer of the same pages = ground truth)', '');
    flush();
    out.push(...(await ocrAccuracy(dir, cudaDir)));
    flush();
  }
}

async function textLayer(out: string[]): Promise<void> {
  out.push('## Literature: text layer', '', '| document | pages | listings | incorpus pages/s | pdftotext -layout pages/s | ratio incorpus / pdftotext |', '|---|---|---|---|---|---|');
  out.push(...(await textLayerSpeed()));
  out.push('', `Indentation, text layer: ${SOURCES.length} real Yosys sources (${SOURCES.map((f) => f.split('/').pop()).join(', ')}) typeset into PDFs with running heads, page numbers and page breaks:`, '');
  for (const numbered of [true, false]) {
    const ind = await textLayerIndent(numbered);
    out.push(`- ${numbered ? 'with' : 'without'} line numbers: ${ind.exact}/${ind.total} lines with exact indentation (${((ind.exact / ind.total) * 100).toFixed(1)} %), ${ind.identical}/${ind.files} files byte-identical to the source`);
  }
}

await main();
