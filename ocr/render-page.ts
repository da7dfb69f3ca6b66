import { createRequire } from 'node:module';
import { InputError } from '../pipeline/errors.js';
import type { PdfPage } from './pdfjs.js';

export interface RenderOptions {
  /** Rendering resolution; tesseract's accuracy drops below 300 DPI. @default 300 */
  dpi?: number;
  /**
   * Largest bitmap rendered, in pixels; bigger pages are rendered at a lower DPI
   * (down to `minDpi`), and refused below that — a poster-sized page would
   * otherwise need gigabytes. @default 60 million (an A4 page at 300 DPI is 8.7 million)
   */
  maxPixels?: number;
  /** @default 150 */
  minDpi?: number;
}

export interface RenderedPage {
  png: Buffer;
  dpi: number;
  width: number;
  height: number;
}

/** Renders a page to a grayscale-friendly PNG with pdfjs on an @napi-rs/canvas canvas. */
export async function renderPage(page: PdfPage, opts: RenderOptions = {}): Promise<RenderedPage> {
  const { createCanvas } = loadCanvas();
  const base = page.getViewport({ scale: 1 });
  let dpi = opts.dpi ?? 300;
  const maxPixels = opts.maxPixels ?? 60e6;
  const pixelsAt = (d: number): number => ((base.width * d) / 72) * ((base.height * d) / 72);
  if (pixelsAt(dpi) > maxPixels) dpi = Math.floor(dpi * Math.sqrt(maxPixels / pixelsAt(dpi)));
  if (dpi < (opts.minDpi ?? 150)) {
    throw new Error(`page too large to render: ${Math.round(base.width)}x${Math.round(base.height)} pt would need ${dpi} DPI to fit ${maxPixels} pixels`);
  }
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: ctx as never, canvas: canvas as never, viewport }).promise;
  return { png: canvas.toBuffer('image/png'), dpi, width: canvas.width, height: canvas.height };
}

/**
 * The @napi-rs/canvas build pdfjs itself loads (pdfjs-dist pins its own copy):
 * pdfjs fills glyph outlines with its Path2D, and a canvas from a second copy
 * of the native module rejects it — or crashes on images.
 */
function loadCanvas(): typeof import('@napi-rs/canvas') {
  try {
    const fromPdfjs = createRequire(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    return fromPdfjs('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  } catch (err) {
    throw new InputError('rendering pages for OCR needs the npm package @napi-rs/canvas (run `npm install`)', { cause: err });
  }
}
