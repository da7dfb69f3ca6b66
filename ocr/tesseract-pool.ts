import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { InputError } from '../pipeline/errors.js';

/** A recognized word with its box in image pixels. */
export interface OcrWord {
  text: string;
  confidence: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The word's line: baseline y and row height (ascender to descender), pixels. */
  baseline: number;
  rowHeight: number;
}

export interface OcrEngineOptions {
  /** Tesseract workers (each a WASM instance, ~100 MB). @default one per core */
  workers?: number;
  /** Tesseract page segmentation mode; 6 = one uniform block, 3 = automatic. @default 3 */
  psm?: number;
}

export interface OcrEngine {
  /** Recognizes a PNG (or other image buffer) into words with boxes. */
  recognize(image: Buffer, dpi: number): Promise<OcrWord[]>;
  close(): Promise<void>;
}

type Tesseract = typeof import('tesseract.js');

/**
 * Where the English model lives on disk: the `@tesseract.js-data/eng` package,
 * whose files are gzipped. Never a CDN — tesseract.js downloads from jsDelivr
 * when `langPath` is not given, so it always is.
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
 * A pool of tesseract.js workers behind its scheduler, one per core by default.
 * The core WASM comes from the installed tesseract.js-core (tesseract.js
 * requires it by package name in Node); nothing is cached to disk.
 */
export async function createOcrEngine(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
  const tesseract = (await import('tesseract.js').catch((err: unknown) => {
    throw new InputError('OCR needs the npm package tesseract.js (run `npm install` in the incorpus folder)', { cause: err });
  })) as unknown as Tesseract & { default?: Tesseract };
  const T = tesseract.default ?? tesseract;
  const model = englishModel();
  const n = Math.max(1, opts.workers ?? availableParallelism());
  const scheduler = T.createScheduler();
  const workers = await Promise.all(
    Array.from({ length: n }, () => T.createWorker('eng', T.OEM.LSTM_ONLY, { ...model, cacheMethod: 'none' })),
  );
  for (const w of workers) {
    await w.setParameters({ tessedit_pageseg_mode: String(opts.psm ?? 3) as never, preserve_interword_spaces: '1' });
    scheduler.addWorker(w);
  }
  return {
    async recognize(image, dpi) {
      const result = await scheduler.addJob('recognize', image, { user_defined_dpi: String(dpi) } as never, { blocks: true, text: false });
      return wordsOf(result.data.blocks ?? []);
    },
    async close() {
      await scheduler.terminate();
    },
  };
}

interface TLine {
  words: ReadonlyArray<{ text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }>;
  bbox: { y0: number; y1: number };
  baseline?: { y0: number; y1: number; has_baseline?: boolean };
  rowAttributes?: { rowHeight: number };
}

/** Words with their line's baseline and row height, so every word of a line shares one baseline. */
function wordsOf(blocks: ReadonlyArray<{ paragraphs: ReadonlyArray<{ lines: ReadonlyArray<TLine> }> }>): OcrWord[] {
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
      if (w.text.trim()) out.push({ text: w.text, confidence: w.confidence, ...w.bbox, baseline: base, rowHeight });
    }
  }
  return out;
}
