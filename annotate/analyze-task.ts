import { decompressBlob } from '../corpus/blobs.js';
import { computeTextFeatures } from './text-features.js';
import type { Doc, TextFeatures } from '../pipeline/doc.js';
import { detectDomain } from './detect-domain.js';
import { detectLanguage } from './detect-language.js';

export interface AnalyzeItem {
  path: string;
  blob: { codec: string; data: Uint8Array } | null;
}

export interface AnalyzeResult {
  text: string | null;
  features: TextFeatures | null;
  lang: string;
  domain: string;
  domainEvidence: string | null;
}

/**
 * Derives what later stages need from a decoded text: shape features,
 * language and domain. Pure and thread-safe: it runs on the workers.
 */
export function analyzeText(path: string, text: string | null): AnalyzeResult {
  if (text === null) return { text: null, features: null, lang: detectLanguage(path, ''), domain: 'general', domainEvidence: null };
  const lang = detectLanguage(path, text);
  const { domain, evidence } = detectDomain(lang, path, text);
  return { text, features: computeTextFeatures(text), lang, domain, domainEvidence: evidence };
}

/** Decodes one stored file and analyzes it (tests and fixtures build documents with it). */
export function analyzeItem(item: AnalyzeItem): AnalyzeResult {
  return analyzeText(item.path, item.blob ? decompressBlob(item.blob.codec, item.blob.data).toString('utf8') : null);
}

/** The analyze stage's worker step: the runner has decoded the blob into doc.text already. */
export function analyzeStep(doc: Doc): void {
  const { text: _text, ...result } = analyzeText(doc.path, doc.text);
  Object.assign(doc, result);
}
