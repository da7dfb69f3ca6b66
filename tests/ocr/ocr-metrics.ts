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
}

export const emptyScore = (): ListingScore => ({ listings: 0, chars: 0, charErrors: 0, lines: 0, exactLines: 0, indentExact: 0, identifiers: 0, identifiersExact: 0, underscored: 0, underscoredExact: 0, firstLineKept: 0 });

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
  return s;
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
