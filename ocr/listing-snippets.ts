import type { Box } from './layout.js';
import type { ExtractedListing } from './extract-document.js';
import { fixOcrConfusions, type OcrFix } from './ocr-confusions.js';
import { guessSnippetLanguage, validityScore, type SnippetHints } from './snippet-language.js';

/** A snippet ready for the corpus: text, language, validity and provenance. */
export interface Snippet {
  text: string;
  lang: string;
  ext: string;
  method: 'text-layer' | 'ocr' | 'html';
  pageFrom: number | null;
  pageTo: number | null;
  boxes: Box[];
  caption: string | null;
  context: string | null;
  validity: number | null;
  details: { languageBy: string; lineNumbersRemoved?: boolean; ocrFixes?: OcrFix[]; hint?: string | null };
}

/** Decides language and validity; OCR text first gets grammar-checked confusion fixes. */
export function toSnippet(listing: ExtractedListing): Snippet {
  const hints: SnippetHints = { caption: listing.caption, context: listing.context };
  const guess = guessSnippetLanguage(listing.text, hints);
  let text = listing.text;
  let fixes: OcrFix[] | undefined;
  if (listing.method === 'ocr') {
    const fixed = fixOcrConfusions(guess.lang, text);
    text = fixed.text;
    fixes = fixed.fixes;
  }
  return {
    text,
    lang: guess.lang,
    ext: guess.ext,
    method: listing.method,
    pageFrom: listing.pageFrom,
    pageTo: listing.pageTo,
    boxes: listing.boxes,
    caption: listing.caption,
    context: listing.context,
    validity: validityScore(guess.lang, text),
    details: { languageBy: guess.by, lineNumbersRemoved: listing.lineNumbersRemoved, ...(fixes ? { ocrFixes: fixes } : {}) },
  };
}

/** A snippet from an HTML `<pre>`/`<code>` block. */
export function htmlSnippet(text: string, hints: SnippetHints): Snippet {
  const guess = guessSnippetLanguage(text, hints);
  return {
    text,
    lang: guess.lang,
    ext: guess.ext,
    method: 'html',
    pageFrom: null,
    pageTo: null,
    boxes: [],
    caption: hints.caption ?? null,
    context: hints.context ?? null,
    validity: validityScore(guess.lang, text),
    details: { languageBy: guess.by, hint: hints.language ?? null },
  };
}
