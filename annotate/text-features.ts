import { createHash } from 'node:crypto';
import { normalizeWhitespace } from './normalize-whitespace.js';
import type { TextFeatures } from '../pipeline/doc.js';

/** Letters and digits of any script, as the alphanumeric-fraction rule counts them. */
const ALNUM = /[\p{L}\p{N}]/u;

/** Computes the shape statistics the validation rules read, in one pass per line. */
export function computeTextFeatures(text: string): TextFeatures {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let maxLineLength = 0;
  let total = 0;
  for (const line of lines) {
    const len = line.endsWith('\r') ? line.length - 1 : line.length;
    if (len > maxLineLength) maxLineLength = len;
    total += len;
  }
  const normalized = normalizeWhitespace(text);
  return {
    lines: lines.length,
    maxLineLength,
    meanLineLength: lines.length === 0 ? 0 : total / lines.length,
    alnumFraction: countAlnum(text) / Math.max(1, text.length),
    blank: normalized.length === 0,
    normSha256: createHash('sha256').update(normalized).digest('hex'),
  };
}

function countAlnum(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // ASCII fast path; the Unicode test only for the rest.
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) n++;
    else if (c > 127 && ALNUM.test(text[i]!)) n++;
  }
  return n;
}
