import { createHash } from 'node:crypto';
import { normalizeWhitespace } from './normalize-whitespace.js';
import type { TextFeatures } from '../pipeline/doc.js';

/** Letters and digits of any script, as the alphanumeric-fraction rule counts them. */
const ALNUM = /[\p{L}\p{N}]/u;

/** Computes the shape statistics the validation rules read, in one pass per line. */
export function computeTextFeatures(text: string): TextFeatures {
  // The lines of text.split('\n') without the empty one after a final newline,
  // each without a trailing CR, measured in place (no string per line).
  let lines = 0;
  let maxLineLength = 0;
  let total = 0;
  for (let start = 0; ; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (nl < 0 && start === text.length && lines > 0) break;
    const len = end - start - (end > start && text.charCodeAt(end - 1) === 13 ? 1 : 0);
    if (len > maxLineLength) maxLineLength = len;
    total += len;
    lines++;
    if (nl < 0) break;
    start = nl + 1;
  }
  const normalized = normalizeWhitespace(text);
  return {
    lines,
    maxLineLength,
    meanLineLength: lines === 0 ? 0 : total / lines,
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
