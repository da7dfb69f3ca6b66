import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../pipeline/errors.js';

/** A box in image pixels. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A recognized word with its box and glyph boxes in image pixels. */
export interface OcrWord extends PixelBox {
  text: string;
  confidence: number;
  /** The word's line: baseline y and row height (ascender to descender), pixels. */
  baseline: number;
  rowHeight: number;
  /** Glyph boxes, one per recognized character where tesseract reports them. */
  symbols: PixelBox[];
}

/** A text line found by layout analysis alone (no recognition): its box and its ink blobs. */
export interface LayoutLine extends PixelBox {
  rowHeight: number;
  /** Connected ink components, left to right (about one per glyph in code fonts). */
  blobs: PixelBox[];
}

export interface RecognizeOptions {
  /** Tesseract page segmentation mode: 3 automatic, 6 one uniform block, 7 one line. @default 3 */
  psm?: number;
  /** Extra tesseract parameters for this job only (e.g. `thresholding_method`). */
  params?: Record<string, string>;
}

export interface OcrEngineOptions {
  /** Tesseract workers (each a WASM instance, ~100 MB). @default one per core */
  workers?: number;
}

export interface OcrEngine {
  /** Recognizes an image buffer (PNG, PGM, …) into words with boxes. */
  recognize(image: Buffer, dpi: number, opts?: RecognizeOptions): Promise<OcrWord[]>;
  /** Tesseract's page layout analysis without recognition: text lines and their blobs. */
  layout(image: Buffer, dpi: number): Promise<LayoutLine[]>;
  close(): Promise<void>;
}

type Tesseract = typeof import('tesseract.js');

/**
 * Where the English model lives on disk: the `@tesseract.js-data/eng` package,
 * whose files are gzipped. Never a CDN — tesseract.js downloads from jsDelivr
 * when it is not handed the data, so it always is.
 */
export function englishModel(): { langPath: string; gzip: boolean } {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };
    return { langPath: pkg.langPath, gzip: pkg.gzip };
  } catch (err) {
    throw new InputError('OCR needs the npm package @tesseract.js-data/eng (run `npm install` in the incorpus folder)', { cause: err });
  }
}

/**
 * The LSTM-only model of the same package (`4.0.0_best_int`, the one
 * tesseract.js itself picks for LSTM-only workers): the legacy engine's data
 * in `4.0.0` is never used with OEM 1, and the smaller file loads faster.
 * (Handing workers the bytes read once does not work in tesseract.js 7.0.0:
 * `initialize` passes the data itself as the language name.)
 */
export function lstmModel(): { langPath: string; gzip: boolean } {
  const { langPath, gzip } = englishModel();
  const lstm = join(langPath, '..', '4.0.0_best_int');
  return existsSync(join(lstm, 'eng.traineddata.gz')) ? { langPath: lstm, gzip: true } : { langPath, gzip };
}

/**
 * A pool of tesseract.js workers behind its scheduler, one per core by default.
 * The core WASM comes from the installed tesseract.js-core (tesseract.js
 * requires it by package name in Node); nothing is cached to disk.
 */
export async function createOcrEngine(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
  const tesseract = (await import('tesseract.js').catch((err: unknown) => {
    throw new InputError('OCR needs the npm package tesseract.js (run `npm install` in the incorpus folder)', { cause: err });
  })) as unknown as Tesseract & { default?: Tesseract };
  const T = tesseract.default ?? tesseract;
  const model = lstmModel();
  const n = Math.max(1, opts.workers ?? availableParallelism());
  const scheduler = T.createScheduler();
  const workers = await Promise.all(
    Array.from({ length: n }, () => T.createWorker('eng', T.OEM.LSTM_ONLY, { ...model, cacheMethod: 'none' })),
  );
  for (const w of workers) {
    await w.setParameters({ tessedit_pageseg_mode: '3' as never, preserve_interword_spaces: '1' });
    scheduler.addWorker(w);
  }
  return {
    async recognize(image, dpi, o = {}) {
      const params = { user_defined_dpi: String(dpi), tessedit_pageseg_mode: String(o.psm ?? 3), ...o.params };
      const result = await scheduler.addJob('recognize', image, params as never, { blocks: true, text: false });
      return wordsOf(result.data.blocks ?? []);
    },
    async layout(image, dpi) {
      const params = { user_defined_dpi: String(dpi), tessedit_pageseg_mode: '3' };
      const result = await scheduler.addJob('recognize', image, params as never, { text: false, blocks: false, hocr: false, tsv: false, layoutBlocks: true } as never);
      return layoutLinesOf((result.data as unknown as { layoutBlocks?: TBlock[] }).layoutBlocks ?? []);
    },
    async close() {
      await scheduler.terminate();
    },
  };
}

interface TSymbol {
  bbox: PixelBox;
}
interface TLine {
  words: ReadonlyArray<{ text: string; confidence: number; bbox: PixelBox; symbols?: readonly TSymbol[] }>;
  bbox: PixelBox;
  baseline?: { y0: number; y1: number; has_baseline?: boolean };
  rowAttributes?: { rowHeight: number };
}
interface TBlock {
  paragraphs: ReadonlyArray<{ lines: ReadonlyArray<TLine> }>;
}

/** Words with their line's baseline and row height, so every word of a line shares one baseline. */
function wordsOf(blocks: readonly TBlock[]): OcrWord[] {
  const out: OcrWord[] = [];
  for (const b of blocks) for (const p of b.paragraphs) for (const l of p.lines) {
    const base = l.baseline?.has_baseline !== false && l.baseline ? (l.baseline.y0 + l.baseline.y1) / 2 : l.bbox.y1;
    const rowHeight = l.rowAttributes?.rowHeight || l.bbox.y1 - l.bbox.y0;
    // A "line" whose words stack vertically is a column read sideways — in
    // listings, the line-number column (seen on every Yosys manual scan). Its
    // words are noise at the wrong places, so the whole line goes.
    const mids = l.words.map((w) => (w.bbox.y0 + w.bbox.y1) / 2);
    if (mids.length > 1 && Math.max(...mids) - Math.min(...mids) > rowHeight * 2) continue;
    for (const w of l.words) {
      if (!w.text.trim()) continue;
      out.push({ text: w.text, confidence: w.confidence, ...w.bbox, baseline: base, rowHeight, symbols: (w.symbols ?? []).map((s) => ({ ...s.bbox })) });
    }
  }
  return out;
}

function layoutLinesOf(blocks: readonly TBlock[]): LayoutLine[] {
  const out: LayoutLine[] = [];
  for (const b of blocks) for (const p of b.paragraphs) for (const l of p.lines) {
    const blobs = l.words.flatMap((w) => (w.symbols ?? []).map((s) => ({ ...s.bbox }))).sort((a, c) => a.x0 - c.x0);
    if (blobs.length === 0) continue;
    out.push({ ...l.bbox, rowHeight: l.rowAttributes?.rowHeight || l.bbox.y1 - l.bbox.y0, blobs });
  }
  return out;
}
