import type { Box } from './layout.js';
import type { ExtractedListing } from './extract-document.js';
import { correctListing, underscoredIdentifiers, type CorrectOptions, type Correction } from './code-corrections.js';
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
  details: { languageBy: string; lineNumbersRemoved?: boolean; ocrFixes?: Correction[]; hint?: string | null };
}

/**
 * Decides language and validity; OCR text first gets code-aware corrections
 * (code-corrections.ts), each recorded in `details.ocrFixes`. `corrections`
 * carries the document's identifier vocabulary (see {@link documentVocabulary}).
 */
export function toSnippet(listing: ExtractedListing, corrections: CorrectOptions = {}): Snippet {
  const hints: SnippetHints = { caption: listing.caption, context: listing.context };
  const guess = guessSnippetLanguage(listing.text, hints);
  let text = listing.text;
  let fixes: Correction[] | undefined;
  if (listing.method === 'ocr') {
    const fixed = correctListing(guess.lang, text, corrections);
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

/** Identifiers with underscores written anywhere in a document's listings: the vocabulary OCR fixes may use. */
export function documentVocabulary(listings: readonly { text: string }[]): Set<string> {
  return new Set(listings.flatMap((l) => underscoredIdentifiers(l.text)));
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
