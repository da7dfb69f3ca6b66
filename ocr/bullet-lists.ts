/**
 * Bulleted lists are not listings. Texinfo and Sphinx manuals set list items
 * in the code font (`• INTEGER;`, `• filename.tbz2 becomes …`), so their lines
 * pass as fixed-pitch lines on the text layer and as a glyph grid on a scan.
 * On a scan the bullet is not read as `•`: tesseract gives `e`, `eo`, `®`,
 * `©`, `°` or `«` (libtasn1 manual pp. 5–6 at 200 DPI, 2026-12-03), so for OCR
 * text those count as bullets too when a word follows.
 */
const BULLET = /^\s*[\u2022\u25e6\u2023\u25aa\u25cf\u2013]\s/;
const OCR_BULLET = /^\s*(?:[\u2022\u25e6\u25cf\u00ae\u00a9\u00b0\u00ab]|eo?|o)\s+[A-Za-z(<"'`]/;

/** Whether most (≥ half, at least 3) non-blank lines of `text` start with a list bullet; `ocr` admits tesseract's misreads of `•`. */
export function isBulletedList(text: string, ocr: boolean): boolean {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length < 3) return false;
  const re = ocr ? OCR_BULLET : BULLET;
  const bulleted = lines.filter((l) => BULLET.test(l) || re.test(l)).length;
  return bulleted * 2 >= lines.length;
}
