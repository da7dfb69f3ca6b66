import { re2 } from '../annotate/linear-regex.js';
/**
 * Normalizes license text before comparison, after licensee's normalization
 * (github/licensee `ContentHelper`): lower case, no copyright lines, no markup
 * or punctuation, one spelling per word, so a reflowed or re-dated MIT text
 * still matches the SPDX original exactly.
 */

/** licensee's varietal spellings (ContentHelper::VARIETAL_WORDS), British → American and friends. */
const VARIANTS: ReadonlyArray<[RegExp, string]> = [
  [/\blicen[cs]e(s|d)?\b/g, 'license$1'],
  [/\bnon-?commercial\b/g, 'noncommercial'],
  [/\bsub-?licen[cs]e/g, 'sublicense'],
  [/\backnowledgement/g, 'acknowledgment'],
  [/\banalogue\b/g, 'analog'],
  [/\bcopyright[- ]?holders?\b/g, 'copyright holder'],
  [/\bper cent\b/g, 'percent'],
  [/\bwhilst\b/g, 'while'],
  [/\bfavour/g, 'favor'],
  [/\bauthorised\b/g, 'authorized'],
  [/\bmerchantibility\b/g, 'merchantability'],
  [/\bhttps?:\/\/\S+/g, ' '],
];

/** Lines that say who owns the code, not what the license says (licensee strips them too). */
// Only notices (a year, (c), © or "by" follows): a wrapped clause such as "copyright notice and this
// permission notice appear in all copies" (ISC, BSD) is license text and must stay.
const COPYRIGHT_LINE = re2(/^\s*(?:[#*/;!-]+\s*)?(?:copyright\s*(?:\(c\)|©|\d{4}|by\b|<)|\(c\)\s*\d{4}|©|all rights reserved).*$/gim);
/** SPDX template placeholders such as `<year> <copyright holders>`. */
const PLACEHOLDER = /<[^<>\n]{1,40}>/g;

/** The comparable form of a license text: lower-case words separated by single spaces. */
export function normalizeLicenseText(text: string): string {
  let t = text.replace(COPYRIGHT_LINE, ' ').toLowerCase().replace(PLACEHOLDER, ' ');
  t = t.replace(/[\u2018\u2019\u201c\u201d`]/g, "'").replace(/[\u2010-\u2015]/g, '-');
  for (const [re, to] of VARIANTS) t = t.replace(re, to);
  // Markup, list bullets and punctuation carry no legal meaning here.
  t = t.replace(/[^a-z0-9\s-]/g, ' ').replace(/(^|\s)-+(?=\s|$)/g, ' ');
  // Section numbers differ between reflowed copies ("1." vs "(a)").
  t = t.replace(/(^|\s)(?:\d{1,2}|[a-z])(?=\s)/g, ' ');
  return t.replace(/\s+/g, ' ').trim();
}

/** The distinct words of a normalized text (licensee's word-set Dice works on sets). */
export function wordSet(normalized: string): Set<string> {
  return new Set(normalized.length === 0 ? [] : normalized.split(' '));
}

/**
 * Word bigrams of a normalized text, as askalono compares licenses: bigrams tell
 * BSD-2-Clause from BSD-3-Clause where single words barely differ.
 */
export function wordBigrams(normalized: string): Set<string> {
  const words = normalized.length === 0 ? [] : normalized.split(' ');
  const out = new Set<string>();
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  if (words.length === 1) out.add(words[0]!);
  return out;
}

/** Sørensen–Dice coefficient of two word sets: 2|A∩B| / (|A|+|B|). */
export function diceCoefficient(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const w of small) if (large.has(w)) common++;
  return (2 * common) / (a.size + b.size);
}
