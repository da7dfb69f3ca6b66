import { decompressBlob } from '../corpus/blobs.js';
import { computeTextFeatures } from './text-features.js';
import type { TextFeatures } from '../pipeline/doc.js';
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
 * Decodes one stored file and derives what later stages need: text, shape
 * features, language and domain. Pure and thread-safe: it runs on the workers.
 */
export function analyzeItem(item: AnalyzeItem): AnalyzeResult {
  if (!item.blob) {
    const lang = detectLanguage(item.path, '');
    return { text: null, features: null, lang, domain: 'general', domainEvidence: null };
  }
  const text = decompressBlob(item.blob.codec, item.blob.data).toString('utf8');
  const lang = detectLanguage(item.path, text);
  const { domain, evidence } = detectDomain(lang, item.path, text);
  return { text, features: computeTextFeatures(text), lang, domain, domainEvidence: evidence };
}
