import { groupLines, plainText, type Run } from './layout.js';
import { isProse, looksLikeCode } from './code-shape.js';
import type { PdfPage } from './pdfjs.js';
import { renderPage, type RenderOptions } from './render-page.js';
import type { OcrEngine, OcrWord } from './tesseract-pool.js';

/**
 * Recognizes a page without a text layer: render at ≥ 300 DPI, OCR into words,
 * and return runs in PDF points like the text layer's. OCR has no fonts, so a
 * line counts as fixed-pitch when it looks like code, or sits between two code
 * lines and is not a sentence (`sync posedge \\reset` in an RTLIL dump).
 */
export async function ocrPage(page: PdfPage, pageNo: number, engine: OcrEngine, opts: RenderOptions = {}): Promise<Run[]> {
  const img = await renderPage(page, opts);
  const words = await engine.recognize(img.png, img.dpi);
  return wordsToRuns(pageNo, words, img.dpi);
}

/** Converts OCR words (pixels) to runs (points) and marks code lines as fixed-pitch. */
export function wordsToRuns(pageNo: number, words: readonly OcrWord[], dpi: number): Run[] {
  const k = 72 / dpi;
  const runs: Run[] = words.map((w) => {
    const n = w.text.length;
    const ink = (w.x1 - w.x0) * k;
    // A word's box is tight around its ink; a fixed-pitch word of n glyphs spans
    // about n - 0.3 advances of ink, so widen it to n advances (half each side).
    const width = n >= 2 ? (ink * n) / (n - 0.3) : ink;
    const height = w.rowHeight * k;
    return { text: w.text, x: w.x0 * k - (width - ink) / 2, y: w.baseline * k - height * 0.8, width, height, mono: false };
  });
  const lines = groupLines(pageNo, runs);
  const code = lines.map((l) => looksLikeCode(plainText(l)));
  lines.forEach((l, i) => {
    const prev = lines[i - 1];
    const next = lines[i + 1];
    const sandwiched = !code[i] && prev && next && code[i - 1] && code[i + 1] && !isProse(plainText(l));
    if (code[i] || sandwiched) for (const r of l.runs) r.mono = true;
  });
  return runs;
}
