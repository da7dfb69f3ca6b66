import type { PdfPage } from './pdfjs.js';
import type { Run } from './layout.js';

/**
 * Font names of fixed-pitch families in TeX, Office and Skia output. pdfjs
 * reports `fontFamily: "monospace"` only when the font file says so, which
 * subsetted Type 1 fonts (cmtt, lmtt) often do not.
 */
const MONO_NAME = /mono|courier|typewriter|consol|cmtt|lmtt|sfmono|menlo|inconsolata|fixed|code|lucidaconsole|\btt\b/i;

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

/**
 * Reads a page's text layer as runs in points, origin top-left. Rotated text
 * (axis labels, watermarks) is skipped: listings are upright.
 */
export async function readTextLayer(page: PdfPage): Promise<Run[]> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const styles = content.styles as Record<string, { fontFamily?: string }>;
  const fontNames = new Map<string, string>();
  const runs: Run[] = [];
  for (const raw of content.items) {
    if (!('str' in raw)) continue;
    const item = raw as unknown as TextItem;
    if (item.str.length === 0) continue;
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
    if (Math.abs(b) > 1e-3 || Math.abs(c) > 1e-3 || a <= 0) continue;
    const size = Math.abs(d) || item.height;
    // viewport.transform maps PDF user space (origin bottom-left) to top-left points.
    const [vx, vy] = viewport.convertToViewportPoint(e, f) as [number, number];
    const mono = styles[item.fontName]?.fontFamily === 'monospace' || MONO_NAME.test(realFontName(page, item.fontName, fontNames));
    runs.push({ text: item.str, x: vx, y: vy - size * 0.8, width: item.width, height: size, mono, font: item.fontName });
  }
  return runs;
}

/** The font's PostScript name (e.g. `ABCDEF+CMTT10`), looked up once per font. */
function realFontName(page: PdfPage, loadedName: string, cache: Map<string, string>): string {
  let name = cache.get(loadedName);
  if (name !== undefined) return name;
  name = '';
  try {
    const objs = (page as unknown as { commonObjs: { has(id: string): boolean; get(id: string): { name?: string } } }).commonObjs;
    if (objs.has(loadedName)) name = objs.get(loadedName)?.name ?? '';
  } catch {
    // Not resolved yet: the family from the style is all we have.
  }
  cache.set(loadedName, name);
  return name;
}

/**
 * A text layer is usable when it has enough visible characters for the page to
 * be text at all. Scanned pages have none (or an invisible OCR layer of a few
 * stray glyphs), so below this count the page goes to OCR.
 * @default 20 non-space characters
 */
export function hasUsableText(runs: readonly Run[], minChars = 20): boolean {
  let n = 0;
  for (const r of runs) {
    n += r.text.replace(/\s+/g, '').length;
    if (n >= minChars) return true;
  }
  return false;
}
