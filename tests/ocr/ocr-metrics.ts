/**
 * Accuracy measures for extracted listings, shared by the tests and the
 * literature benchmark.
 */

/**
 * Character error rate: Levenshtein distance over the reference length, with
 * all whitespace removed from both sides. Spacing inside lines differs between
 * text layers (pdfjs adds spaces at kerning gaps) and OCR; indentation is
 * measured separately by {@link indentAccuracy}.
 */
export function characterErrorRate(hypothesis: string, reference: string): number {
  const h = [...hypothesis.replace(/\s+/g, '')];
  const r = [...reference.replace(/\s+/g, '')];
  if (r.length === 0) return h.length === 0 ? 0 : 1;
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[h.length]! / r.length;
}

/**
 * Share of reference lines whose indentation the hypothesis has exactly. Lines
 * are paired in order by their first non-space characters (blank lines skipped),
 * so a dropped or extra line costs only itself.
 */
export function indentAccuracy(hypothesis: string, reference: string): { exact: number; total: number } {
  const key = (l: string): string => l.trim().replace(/\s+/g, '').slice(0, 12);
  const hyp = hypothesis.split('\n').filter((l) => l.trim());
  const ref = reference.split('\n').filter((l) => l.trim());
  let j = 0;
  let exact = 0;
  for (const line of ref) {
    const want = key(line);
    const at = hyp.slice(j, j + 4).findIndex((h) => characterErrorRate(key(h), want) <= 0.34);
    if (at < 0) continue;
    const h = hyp[j + at]!;
    if (h.length - h.trimStart().length === line.length - line.trimStart().length) exact++;
    j += at + 1;
  }
  return { exact, total: ref.length };
}

/** What one OCR'd listing scores against its ground truth (counts, so pages and documents add up). */
export interface ListingScore {
  listings: number;
  chars: number;
  charErrors: number;
  lines: number;
  exactLines: number;
  indentExact: number;
  identifiers: number;
  identifiersExact: number;
  underscored: number;
  underscoredExact: number;
  firstLineKept: number;
  /** OCR listings holding code of the reference (a listing cut in two counts 2). */
  pieces: number;
  /** OCR listings sharing no line with any reference listing of their page. */
  extraListings: number;
}

export const emptyScore = (): ListingScore => ({ listings: 0, chars: 0, charErrors: 0, lines: 0, exactLines: 0, indentExact: 0, identifiers: 0, identifiersExact: 0, underscored: 0, underscoredExact: 0, firstLineKept: 0, pieces: 0, extraListings: 0 });

export function addScores(a: ListingScore, b: ListingScore): ListingScore {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof ListingScore>) out[k] += b[k];
  return out;
}

const squeeze = (l: string): string => l.replace(/\s+/g, '');
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Scores a hypothesis listing (null: not found) against the reference: CER
 * (whitespace-insensitive), lines identical up to whitespace, lines with the
 * reference's indentation, identifiers read exactly (and those with an
 * underscore), and whether the listing's first line came through as its first
 * line. Lines are paired by a minimum-cost alignment (cost = line CER, a
 * dropped or extra line costs 1), so a lost line costs only itself.
 */
export function scoreListing(hypothesis: string | null, reference: string): ListingScore {
  const ref = reference.split('\n').filter((l) => l.trim());
  const hyp = (hypothesis ?? '').split('\n').filter((l) => l.trim());
  const s = emptyScore();
  s.listings = 1;
  s.chars = squeeze(reference).length;
  s.charErrors = hypothesis === null ? s.chars : characterErrorRate(hypothesis, reference) * s.chars;
  s.lines = ref.length;
  const pairs = alignLines(hyp, ref);
  const refIdents = ref.map((l) => l.match(IDENT) ?? []);
  for (const ids of refIdents) {
    s.identifiers += ids.length;
    s.underscored += ids.filter((t) => t.includes('_')).length;
  }
  for (const [h, r] of pairs) {
    const hl = hyp[h]!;
    const rl = ref[r]!;
    if (squeeze(hl) === squeeze(rl)) s.exactLines++;
    if (characterErrorRate(hl, rl) <= 0.34 && hl.length - hl.trimStart().length === rl.length - rl.trimStart().length) s.indentExact++;
    const have: string[] = [...(hl.match(IDENT) ?? [])];
    for (const id of refIdents[r]!) {
      const at = have.indexOf(id);
      if (at < 0) continue;
      have.splice(at, 1);
      s.identifiersExact++;
      if (id.includes('_')) s.underscoredExact++;
    }
  }
  const first = pairs.find(([, r]) => r === 0);
  if (first && first[0] === 0 && characterErrorRate(hyp[0]!, ref[0]!) <= 0.34) s.firstLineKept = 1;
  s.pieces = hypothesis === null ? 0 : 1;
  return s;
}

/**
 * Scores the OCR listings of one page against the page's reference listings
 * as a whole: the OCR listings that share at least one line with the
 * reference (line CER ≤ 0.6) are joined in page order and scored against the
 * reference listings joined in order. So a listing the OCR cut in two (or two
 * it merged) costs only the characters that differ, not the half that landed
 * in the other snippet — scoring each reference against its single best OCR
 * listing counted a cut listing's second half as lost. Cuts show in `pieces`;
 * OCR listings with no reference line (prose read as code) in
 * `extraListings`. A reference listing's first line is kept when it is the
 * first line of one of the OCR listings.
 */
export function scorePage(hypotheses: readonly string[], references: readonly string[]): ListingScore {
  if (references.length === 0) return { ...emptyScore(), extraListings: hypotheses.length };
  const nonBlank = (t: string): string[] => t.split('\n').filter((l) => l.trim());
  const refLines = references.flatMap(nonBlank);
  const kept = hypotheses.filter((h) => alignLines(nonBlank(h), refLines).length > 0);
  const s = scoreListing(kept.length > 0 ? kept.join('\n') : null, references.join('\n'));
  s.listings = references.length;
  s.pieces = kept.length;
  s.extraListings = hypotheses.length - kept.length;
  const firsts = kept.map((h) => nonBlank(h)[0]!);
  s.firstLineKept = references.filter((r) => {
    const first = nonBlank(r)[0];
    return first !== undefined && firsts.some((f) => characterErrorRate(f, first) <= 0.34);
  }).length;
  return s;
}

/**
 * A whole page of OCR text (the `tesseract` CLI's) scored as if its listing
 * lines had been picked by an oracle: the page lines paired with reference
 * lines by {@link alignLines} are kept in order and scored with
 * {@link scorePage}. A ceiling for the recognition, with no region finding
 * and no grid (indentation is the CLI's own spacing).
 */
export function scoreOracle(pageText: string, references: readonly string[]): ListingScore {
  const refLines = references.flatMap((r) => r.split('\n').filter((l) => l.trim()));
  const lines = pageText.split('\n').filter((l) => l.trim());
  const kept = alignLines(lines, refLines).map(([h]) => lines[h]!);
  return scorePage(kept.length > 0 ? [kept.join('\n')] : [], references);
}

/** Minimum-cost monotone pairing of hypothesis and reference lines (pairs costing over 0.6 are left unpaired). */
function alignLines(hyp: readonly string[], ref: readonly string[]): Array<[number, number]> {
  const n = hyp.length;
  const m = ref.length;
  const cost = (i: number, j: number): number => Math.min(1, characterErrorRate(hyp[i]!, ref[j]!));
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const c: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => cost(i, j)));
  for (let i = 1; i <= n; i++) for (let j = 1; j <= m; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + c[i - 1]![j - 1]! * 2);
  const out: Array<[number, number]> = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (d[i]![j] === d[i - 1]![j - 1]! + c[i - 1]![j - 1]! * 2) {
      if (c[i - 1]![j - 1]! <= 0.6) out.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return out.reverse();
}

/** The rates a benchmark row prints. */
export function rates(s: ListingScore): { cer: number; exactLines: number; indent: number; identifiers: number; underscored: number; firstLine: number } {
  const r = (a: number, b: number): number => (b === 0 ? 1 : a / b);
  return {
    cer: r(s.charErrors, s.chars),
    exactLines: r(s.exactLines, s.lines),
    indent: r(s.indentExact, s.lines),
    identifiers: r(s.identifiersExact, s.identifiers),
    underscored: r(s.underscoredExact, s.underscored),
    firstLine: r(s.firstLineKept, s.listings),
  };
}
