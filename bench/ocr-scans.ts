/**
 * OCR of scanned listing pages for `npm run bench:literature`: real PDFs
 * rasterized by pdftoppm at 150, 200 and 300 DPI and wrapped by img2pdf, read
 * back by incorpus, scored against the text layer of the same pages. Tuning
 * documents (the ones the thresholds were set on) and held-out documents are
 * reported apart. NVIDIA's CUDA sample whitepapers are read from the folder
 * in INCORPUS_CUDA_PDFS (or argv[2]), e.g. the `doc/` PDFs of a cuda-samples
 * checkout; without it that part is skipped and says so.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { CORRECTION_KINDS, type CorrectionKind } from '../ocr/code-corrections.js';
import { extractDocument, type ExtractedListing } from '../ocr/extract-document.js';
import { extractWithBudget } from '../ocr/extract-with-budget.js';
import { documentVocabulary, toSnippet } from '../ocr/listing-snippets.js';
import { ocrPage, type OcrPageOptions } from '../ocr/ocr-page.js';
import type { OcrEngine } from '../ocr/tesseract-pool.js';
import { addScores, emptyScore, rates, scoreOracle, scorePage, type ListingScore } from '../tests/ocr/ocr-metrics.js';

export interface ScanDoc {
  name: string;
  path: string;
  role: 'tuning' | 'held-out';
  /** Pages to scan; by default the first `perDoc` pages whose text layer has a listing. */
  pages?: number[];
}

const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** The documents: Debian's manuals always, the CUDA whitepapers when their folder is given. */
export function scanDocuments(tmp: string, cudaDir: string | undefined): { docs: ScanDoc[]; notes: string[] } {
  const notes: string[] = [];
  const gz = (src: string, name: string): string | null => {
    if (!existsSync(src)) return null;
    const out = join(tmp, `${name}.pdf`);
    writeFileSync(out, gunzipSync(readFileSync(src)));
    return out;
  };
  const docs: ScanDoc[] = [
    { name: 'yosys manual', path: '/usr/share/doc/yosys/manual.pdf', role: 'tuning', pages: [23, 36, 62, 63] },
    { name: 'verilator.pdf', path: '/usr/share/doc/verilator/verilator.pdf', role: 'held-out' },
  ];
  for (const [src, name] of [['/usr/share/doc/bzip2/manual.pdf.gz', 'bzip2 manual'], ['/usr/share/doc/nettle-dev/nettle.pdf.gz', 'nettle manual']] as const) {
    const p = gz(src, name.replace(/\W+/g, '-'));
    if (p) docs.push({ name, path: p, role: 'held-out' });
    else notes.push(`${src} not installed: skipped`);
  }
  if (existsSync('/usr/share/doc/libtasn1-doc/libtasn1.pdf')) docs.push({ name: 'libtasn1 manual', path: '/usr/share/doc/libtasn1-doc/libtasn1.pdf', role: 'held-out' });
  if (cudaDir && existsSync(cudaDir)) {
    const files = readdirSync(cudaDir).filter((f) => f.endsWith('.pdf')).sort();
    for (const f of files) docs.push({ name: `CUDA ${f}`, path: join(cudaDir, f), role: f === 'histogram.pdf' ? 'tuning' : 'held-out' });
  } else notes.push('INCORPUS_CUDA_PDFS (a folder of NVIDIA CUDA sample whitepapers) not given: CUDA documents skipped');
  return { docs, notes };
}

/**
 * Why a text-layer "listing" is not code to score OCR against, or null. The
 * text layer marks runs of fixed-pitch lines as listings, and two kinds of
 * them on held-out pages are not code (found by reading them, 2026-12-02 and 03):
 * a table of contents whose dot leaders are set in the fixed-pitch font
 * (nettle manual p. 3) and a bulleted list of file names (bzip2 manual p. 6);
 * and a figure's labels set in the code font (2026-12-03 c).
 */
export function notCodeReason(text: string): string | null {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length === 0) return 'empty';
  const share = (p: RegExp | ((l: string) => boolean)): number => lines.filter((l) => (p instanceof RegExp ? p.test(l) : p(l))).length / lines.length;
  if (share(/(?:\.\s?){4,}\s*[0-9ivxlc]+\s*$/i) >= 0.5) return 'table of contents (dot leaders)';
  if (share(/^\s*[\u2022\u25e6\u2023\u25aa\u2013]\s/) >= 0.5) return 'bulleted list';
  // A figure's labels in the code font (binomialOptions p. 9 `CACHE_STEP … CACHE_DELTA`, histogram p. 8
  // `WARP_N * WARP_SIZE`): lines that are one bare word, an ellipsis or words 8+ spaces apart, with at
  // least one of the last two (a constant's one-line definition in nettle is a listing), and no statement.
  const gapOrDots = /\S {8,}\S|^\s*(?:\.{3}|\u2026)\s*$/;
  const scattered = (l: string): boolean => gapOrDots.test(l) || /^\s*[A-Za-z_]\w*\s*$/.test(l);
  if (lines.length >= 2 && share(scattered) >= 0.5 && lines.some((l) => gapOrDots.test(l)) && !/[;{}=]/.test(text)) {
    return 'figure labels (scattered words)';
  }
  return null;
}

/**
 * Pages whose text layer holds a listing of at least three lines, and those
 * listings (the ground truth). Listings that are not code (notCodeReason) are
 * left out, and a page left with none is replaced by the next listing page;
 * `excluded` says what was left out and why.
 */
export async function truthPages(doc: ScanDoc, perDoc: number, excluded: string[] = []): Promise<Map<number, ExtractedListing[]>> {
  const r = await extractDocument(read(doc.path), { ocr: 'off' });
  const out = new Map<number, ExtractedListing[]>();
  const candidates = doc.pages ?? [...new Set(r.listings.filter((l) => l.text.split('\n').filter((x) => x.trim()).length >= 3).map((l) => l.pageFrom))];
  for (const p of candidates) {
    if (!doc.pages && out.size >= perDoc) break;
    const t = await extractDocument(read(doc.path), { firstPage: p, maxPages: 1, ocr: 'off' });
    const ls = t.listings.filter((l) => {
      if (l.text.trim().length < 20) return false;
      const why = notCodeReason(l.text);
      if (why) excluded.push(`${doc.name} p. ${p}: a text-layer listing left out of the truth (${why}): ${JSON.stringify(l.text.split('\n')[0]!.slice(0, 60))}`);
      return why === null;
    });
    if (ls.length > 0) out.set(p, ls);
  }
  return out;
}

/** pdftoppm at `dpi`, gray, then img2pdf: the scan as an office scanner would deliver it. */
export function scan(src: string, pages: readonly number[], dpi: number, dir: string): { pdf: string; pngs: string[] } {
  mkdirSync(dir, { recursive: true });
  const pngs = pages.map((p) => {
    const prefix = join(dir, `p${p}`);
    execFileSync('pdftoppm', ['-f', String(p), '-l', String(p), '-r', String(dpi), '-gray', '-png', '-singlefile', src, prefix]);
    return `${prefix}.png`;
  });
  const pdf = join(dir, 'scan.pdf');
  execFileSync('img2pdf', [...pngs, '-o', pdf]);
  return { pdf, pngs };
}

/** OCR listings of every page of a scan, page by page (so they pair with the truth page by page), all pages in flight. */
export async function ocrScan(pdf: string, pages: readonly number[], engine: OcrEngine, opts: OcrPageOptions = {}): Promise<Map<number, ExtractedListing[]>> {
  const parts = await Promise.all(pages.map((_, i) => extractDocument(read(pdf), { firstPage: i + 1, maxPages: 1, ocrPage: (pg, n) => ocrPage(pg, n, engine, opts) })));
  return new Map(pages.map((p, i) => [p, parts[i]!.listings]));
}

/** Scores OCR'd listings of one document against the truth with some corrections left out. */
export function scoreDocument(truth: ReadonlyMap<number, ExtractedListing[]>, ocr: ReadonlyMap<number, ExtractedListing[]>, disable: ReadonlySet<CorrectionKind>): ListingScore {
  const vocabulary = documentVocabulary([...ocr.values()].flat());
  let total = emptyScore();
  for (const [page, refs] of truth) {
    const hyps = (ocr.get(page) ?? []).map((l) => toSnippet(l, { vocabulary, disable }).text);
    total = addScores(total, scorePage(hyps, refs.map((r) => r.text)));
  }
  return total;
}

/**
 * The `tesseract` CLI on the same page images (PSM 6 would merge columns, so
 * the default automatic segmentation; interword spaces kept), its listing
 * lines picked by an oracle from the reference: a ceiling reference for the
 * recognition alone (tests/ocr/ocr-metrics.ts scoreOracle).
 */
export function cliCeiling(truth: ReadonlyMap<number, ExtractedListing[]>, pngs: readonly string[], dpi: number): ListingScore {
  let total = emptyScore();
  [...truth.entries()].forEach(([, refs], i) => {
    const text = execFileSync('tesseract', [pngs[i]!, '-', '--dpi', String(dpi), '-l', 'eng', '-c', 'preserve_interword_spaces=1'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    total = addScores(total, scoreOracle(text, refs.map((r) => r.text)));
  });
  return total;
}

export const ALL_ON: ReadonlySet<CorrectionKind> = new Set();
export const ALL_OFF: ReadonlySet<CorrectionKind> = new Set(CORRECTION_KINDS);

export function scoreRow(label: string, s: ListingScore): string {
  const r = rates(s);
  return `| ${label} | ${s.listings} | ${s.pieces} / ${s.extraListings} | ${s.chars} | ${pct(r.cer)} | ${pct(r.exactLines)} | ${pct(r.identifiers)} | ${pct(r.underscored)} | ${pct(r.indent)} | ${pct(r.firstLine)} |`;
}

export const SCORE_HEADER = ['| | listings | OCR pieces / extra | chars | CER | exact lines | identifiers exact | with `_` exact | indentation exact | first line kept |', '|---|---|---|---|---|---|---|---|---|---|'];

/**
 * Pages/s of the crawl's OCR path (budgeted worker, its own pool) and of the
 * tesseract CLI on the same page images, with CPU seconds per page for both
 * (ours: this process, all threads, from process.cpuUsage; the CLI: its
 * processes' user+sys as reaped by wait4, from /proc/self/stat). CPU time is
 * what to compare on a shared machine: load stretches wall time, not CPU.
 */
export async function speedRun(src: string, pages: readonly number[], dpi: number, dir: string, workers: number): Promise<string[]> {
  const { pdf, pngs } = scan(src, pages, dpi, dir);
  const load0 = loadavg()[0]!.toFixed(2);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await extractWithBudget(read(pdf), { ocrWorkers: workers, timeoutMs: 3_600_000, maxHeapMb: 4096 });
  const ours = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const oursCpu = (cu.user + cu.system) / 1e6;
  if (!r.ok) throw new Error(`speed run failed: ${r.error}`);
  const k0 = childrenCpu();
  const native = await tesseractCli(pngs, dpi, workers);
  const nativeCpu = childrenCpu() - k0;
  const n = pages.length;
  return [
    `| incorpus \`crawl pdf\` OCR path (${workers} workers, start-up included) | ${n} | ${ours.toFixed(1)} | ${(n / ours).toFixed(2)} | ${(oursCpu / n).toFixed(2)} | ${r.result.snippets.length} listings |`,
    `| \`tesseract\` CLI, ${workers} processes (OMP_THREAD_LIMIT=1), whole pages | ${n} | ${native.toFixed(1)} | ${(n / native).toFixed(2)} | ${(nativeCpu / n).toFixed(2)} | text only, no listings |`,
    `| ratio incorpus / CLI | | | ${(native / ours).toFixed(2)} | ${(nativeCpu / oursCpu).toFixed(2)} (CLI CPU / ours) | |`,
    `| CPU-bound pages/s on ${workers} cores (${workers} / CPU s per page) | | | ${(workers / (oursCpu / n)).toFixed(2)} vs ${(workers / (nativeCpu / n)).toFixed(2)} | | target 0.75 |`,
    `| load average (1 min) before / after | | | ${load0} / ${loadavg()[0]!.toFixed(2)} | | |`,
  ];
}

/** User+sys seconds of this process's waited-for children (fields 16 and 17 of /proc/self/stat, clock ticks). */
function childrenCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state), so field n is f[n - 3].
  return (Number(f[13]) + Number(f[14])) / 100;
}

/** The tesseract CLI on the page images, one single-threaded process per worker. */
async function tesseractCli(pngs: readonly string[], dpi: number, workers: number): Promise<number> {
  const queue = [...pngs];
  const run = (): Promise<void> => {
    const png = queue.shift();
    if (!png) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const p = spawn('tesseract', [png, png.replace(/\.png$/, ''), '--dpi', String(dpi), '-l', 'eng'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: 'ignore' });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tesseract exited ${code}`))));
    }).then(run);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, run));
  return (performance.now() - t0) / 1000;
}


