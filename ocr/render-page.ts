import { createRequire } from 'node:module';
import { InputError } from '../pipeline/errors.js';
import type { PdfPage } from './pdfjs.js';
import type { PixelBox } from './tesseract-pool.js';

export interface RenderOptions {
  /**
   * Resolution of the page image layout analysis runs on. Listing regions are
   * cut from it and upscaled separately (see {@link cropRegion}), so this only
   * has to be fine enough to find lines and glyph pitch. @default 200
   */
  dpi?: number;
  /**
   * Largest bitmap rendered, in pixels; bigger pages are rendered at a lower DPI
   * (down to `minDpi`), and refused below that — a poster-sized page would
   * otherwise need gigabytes. @default 60 million (an A4 page at 300 DPI is 8.7 million)
   */
  maxPixels?: number;
  /** @default 100 */
  minDpi?: number;
}

type Canvas = import('@napi-rs/canvas').Canvas;

/** A rendered page: its canvas (for crops) and an 8-bit grayscale PGM of the whole page. */
export interface RenderedPage {
  canvas: Canvas;
  pgm: Buffer;
  dpi: number;
  width: number;
  height: number;
}

/** Renders a page with pdfjs on an @napi-rs/canvas canvas. */
export async function renderPage(page: PdfPage, opts: RenderOptions = {}): Promise<RenderedPage> {
  const { createCanvas } = loadCanvas();
  const base = page.getViewport({ scale: 1 });
  let dpi = opts.dpi ?? 200;
  const maxPixels = opts.maxPixels ?? 60e6;
  const pixelsAt = (d: number): number => ((base.width * d) / 72) * ((base.height * d) / 72);
  if (pixelsAt(dpi) > maxPixels) dpi = Math.floor(dpi * Math.sqrt(maxPixels / pixelsAt(dpi)));
  if (dpi < (opts.minDpi ?? 100)) {
    throw new Error(`page too large to render: ${Math.round(base.width)}x${Math.round(base.height)} pt would need ${dpi} DPI to fit ${maxPixels} pixels`);
  }
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: ctx as never, canvas: canvas as never, viewport }).promise;
  return { canvas, pgm: toPgm(canvas), dpi, width: canvas.width, height: canvas.height };
}

export interface CropOptions {
  /** Scale factor over the page image (≥ 1 upscales, bicubic). @default 1 */
  scale?: number;
  /** Whiten ruled lines (listing frames) longer than this share of the crop's width or height. @default 0.5 */
  maxRule?: number;
}

/**
 * Cuts a region out of a rendered page, optionally upscaled, as a PGM. Box
 * frames around listings are whitened: tesseract reads a frame edge that
 * touches a line as glyphs and loses the line (the first line of a boxed
 * listing in NVIDIA's CUDA whitepapers).
 */
export function cropRegion(img: RenderedPage, box: PixelBox, opts: CropOptions = {}): Buffer {
  const { createCanvas } = loadCanvas();
  const k = opts.scale ?? 1;
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const w = Math.max(1, Math.min(img.width, Math.ceil(box.x1)) - x0);
  const h = Math.max(1, Math.min(img.height, Math.ceil(box.y1)) - y0);
  const out = createCanvas(Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k)));
  const ctx = out.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img.canvas as never, x0, y0, w, h, 0, 0, out.width, out.height);
  const gray = grayOf(out);
  whitenRules(gray, out.width, out.height, opts.maxRule ?? 0.5);
  return pgmOf(gray, out.width, out.height);
}

function toPgm(canvas: Canvas): Buffer {
  return pgmOf(grayOf(canvas), canvas.width, canvas.height);
}

/** Rec. 601 luma of the canvas pixels. */
function grayOf(canvas: Canvas): Uint8Array {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const gray = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0, j = 0; i < gray.length; i++, j += 4) gray[i] = (data[j]! * 299 + data[j + 1]! * 587 + data[j + 2]! * 114) / 1000;
  return gray;
}

/** Binary PGM (P5): leptonica reads it without a decoder, so nothing is spent on PNG. */
function pgmOf(gray: Uint8Array, w: number, h: number): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`, 'ascii'), Buffer.from(gray.buffer, gray.byteOffset, gray.byteLength)]);
}

/** Rows and columns holding one dark run longer than `share` of the crop are frame lines: whitened. */
function whitenRules(gray: Uint8Array, w: number, h: number, share: number): void {
  const dark = (i: number): boolean => gray[i]! < 128;
  const rows: number[] = [];
  for (let y = 0; y < h; y++) if (longestRun((x) => dark(y * w + x), w) > w * share) rows.push(y);
  const cols: number[] = [];
  for (let x = 0; x < w; x++) if (longestRun((y) => dark(y * w + x), h) > h * share) cols.push(x);
  for (const y of rows) gray.fill(255, y * w, (y + 1) * w);
  for (const x of cols) for (let y = 0; y < h; y++) gray[y * w + x] = 255;
}

function longestRun(isDark: (i: number) => boolean, n: number): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    run = isDark(i) ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
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
