import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../pipeline/errors.js';

/** The parts of pdfjs-dist this project uses, loaded on first use (it is large). */
export type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

let loaded: Promise<Pdfjs> | null = null;

/** pdfjs' legacy build is the one meant for Node (no DOM, no ES2024 APIs assumed). */
export function loadPdfjs(): Promise<Pdfjs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs').catch((err: unknown) => {
    loaded = null;
    throw new InputError('cannot load pdfjs-dist (run `npm install` in the incorpus folder)', { cause: err });
  });
  return loaded;
}

/** Standard-14 font metrics shipped inside pdfjs-dist, so Courier/Helvetica PDFs render offline. */
function standardFontDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
}

/**
 * Opens PDF bytes. Eval is off (font programs are hostile input), fonts are not
 * installed as font faces, and nothing is fetched: the whole file is in memory.
 * Encrypted files with a user password reject with pdfjs' PasswordException.
 */
export async function openPdf(data: Uint8Array): Promise<PdfDocument> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data,
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    standardFontDataUrl: standardFontDir(),
    stopAtErrors: false,
  });
  return task.promise;
}

/** Human text for pdfjs' exceptions (PasswordException, InvalidPDFException, …). */
export function describePdfError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: number };
  if (e?.name === 'PasswordException') return 'encrypted PDF (needs a password)';
  if (e?.name === 'InvalidPDFException') return `not a valid PDF: ${e.message ?? ''}`.trim();
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
}
