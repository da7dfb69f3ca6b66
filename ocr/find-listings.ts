import { plainText, type Line, type Run } from './layout.js';
import { splitLineNumber } from './line-numbers.js';

/** A listing line: its code runs (line number split off) and the number, if any. */
export interface CodeLine {
  line: Line;
  number: number | null;
  numberRuns: Run[];
  runs: Run[];
}

/** A run of listing lines on one page, with what surrounds it. */
export interface ListingBlock {
  page: number;
  lines: CodeLine[];
  caption: string | null;
  /** The prose line just before the listing (often "…as shown below:"). */
  context: string | null;
  /** Nothing but furniture above it / below it on its page: it may continue across a page break. */
  atTop: boolean;
  atBottom: boolean;
}

export interface FindListingsOptions {
  /** A line is code when at least this share of its characters is in a fixed-pitch font. @default 0.75 */
  minMonoShare?: number;
  /** Fewest code lines for a listing without a caption. @default 2 */
  minLines?: number;
  /**
   * Consecutive code lines further apart than this many line pitches (the
   * page's median distance between code lines) end a listing; 4.5 lets three
   * blank lines through, which OCR'd listings need since their numbered blank
   * lines are gone. @default 4.5
   */
  maxGap?: number;
}

/** "Listing 3.", "Figure 2.4:", "Fig. 7", "Example 1-2", "Code 4" — how books and app notes caption code. */
const CAPTION = /^(?:listing|figure|fig\.|example|code|program|snippet|table)\s*[A-Z]?[\d.]+\s*[-.:—–]?/i;

/** Finds the listings of one page from its body lines (furniture already removed), in reading order. */
export function findListings(lines: readonly Line[], opts: FindListingsOptions = {}): ListingBlock[] {
  const minMono = opts.minMonoShare ?? 0.75;
  const minLines = opts.minLines ?? 2;
  const maxGap = opts.maxGap ?? 4.5;
  const kinds = lines.map((l) => classify(l, minMono));
  adoptLinesWithTextBeside(kinds, minMono);
  const pitch = codeLinePitch(lines, kinds);
  const blocks: ListingBlock[] = [];
  let members: number[] = [];
  const close = (): void => {
    // A block never starts or ends on a bare number: those are page or footnote numbers.
    while (members.length > 0 && kinds[members[0]!]!.kind === 'number') members.shift();
    while (members.length > 0 && kinds[members[members.length - 1]!]!.kind === 'number') members.pop();
    const idx = members;
    members = [];
    if (idx.length === 0) return;
    const s = idx[0]!;
    const e = idx[idx.length - 1]!;
    const caption = captionNear(lines, s, e);
    if (idx.filter((i) => kinds[i]!.kind === 'code').length < (caption ? 1 : minLines)) return;
    blocks.push({
      page: lines[s]!.page,
      lines: idx.map((i) => kinds[i]!.code!),
      caption,
      context: contextBefore(lines, kinds, s),
      atTop: kinds.slice(0, s).every((k) => k.kind !== 'prose'),
      atBottom: kinds.slice(e + 1).every((k) => k.kind !== 'prose'),
    });
  };
  for (let i = 0; i < lines.length; i++) {
    const k = kinds[i]!;
    const line = lines[i]!;
    if (k.kind === 'prose') {
      // OCR reads a column of line numbers or a change bar as a stray word left of the code.
      if (members.length > 0 && isMarginNoise(line, lines, members)) continue;
      close();
      continue;
    }
    const prev = members.length > 0 ? lines[members[members.length - 1]!]! : null;
    if (prev) {
      if (line.y0 - prev.y0 > pitch * maxGap || line.y0 < prev.y0) close();
    }
    members.push(i);
  }
  close();
  return blocks;
}

interface Classified {
  kind: 'code' | 'number' | 'prose';
  code?: CodeLine;
}

/** What OCR makes of a lone line number: "57" read as "o7", "60" as "6O". */
const MISREAD_NUMBER = /^(?=.*\d)[\doOlI|%)(]{1,3}$/;

function classify(line: Line, minMono: number): Classified {
  const whole = plainText(line);
  if (MISREAD_NUMBER.test(whole) && !/^\d+$/.test(whole)) {
    return { kind: 'number', code: { line, number: null, numberRuns: line.runs, runs: [] } };
  }
  const { number, numberRuns, runs } = splitLineNumber(line);
  const code: CodeLine = { line, number, numberRuns, runs };
  let mono = 0;
  let total = 0;
  for (const r of runs) {
    const n = r.text.replace(/\s+/g, '').length;
    total += n;
    if (r.mono) mono += n;
  }
  if (total === 0) return { kind: number !== null ? 'number' : 'prose', code };
  return { kind: mono / total >= minMono ? 'code' : 'prose', code };
}

/** A comment opener of the languages listings are in: trailing text that starts with one is the line's own comment. */
const COMMENT_START = /^\s*(?:\/\/|\/\*|#|--|;|%|'|\(\*)/;

/**
 * Prose lines that are code with a figure label beside them (dropBesideText)
 * become code when a code line of six or more characters is right above or
 * below them (or such a line adopted before) and starts within five line heights
 * of its left edge: the label interrupted a listing. Alone, such lines are
 * tables and definition lists (`struct nettle_hash nettle_sm3` + its
 * description), which stay prose.
 */
function adoptLinesWithTextBeside(kinds: Classified[], minMono: number): void {
  const cand = kinds.map((k) => {
    if (k.kind !== 'prose' || !k.code) return null;
    const runs = dropBesideText(k.code.runs, minMono);
    // What is left must be a line of code in its own right, not a subscript (`h,r` under a formula).
    return runs === k.code.runs || runs.reduce((a, r) => a + r.text.replace(/\s+/g, '').length, 0) < 6 ? null : runs;
  });
  const adopted = new Set<number>();
  // A neighbour as short as a subscript (`h,r` under a formula) is no listing to continue.
  const substantial = (i: number): boolean => adopted.has(i) || (kinds[i]!.code?.runs ?? []).reduce((a, r) => a + r.text.replace(/\s+/g, '').length, 0) >= 6;
  const adopt = (i: number, from: number): void => {
    const runs = cand[i];
    if (!runs || kinds[from]?.kind !== 'code' || !substantial(from)) return;
    // …and starts near that line's left edge (code indents by a few columns; a formula's parts scatter).
    const other = kinds[from]!.code!.runs[0];
    if (!other || Math.abs(runs[0]!.x - other.x) > Math.max(runs[0]!.height, other.height) * 5) return;
    kinds[i] = { kind: 'code', code: { ...kinds[i]!.code!, runs } };
    cand[i] = null;
    adopted.add(i);
  };
  for (let i = 1; i < kinds.length; i++) adopt(i, i - 1);
  for (let i = kinds.length - 2; i >= 0; i--) adopt(i, i + 1);
}

/**
 * A code line that shares its baseline with text beside it — a figure's label
 * to the right of the listing (NVIDIA's HyperQ whitepaper p. 4: `B<<<…>>>();`
 * and "Work Distributor" on one baseline) — is code followed, after a wide
 * gap, by runs in a proportional font. Those trailing runs are not part of the
 * listing: the fixed-pitch prefix is the line. Text that starts like a
 * comment stays (a listing that sets comments in italic roman).
 */
function dropBesideText(runs: Run[], minMono: number): Run[] {
  let k = runs.length;
  while (k > 0 && !runs[k - 1]!.mono) k--;
  if (k === 0 || k === runs.length) return runs;
  const head = runs.slice(0, k);
  const chars = (rs: readonly Run[], mono: boolean | null): number => rs.filter((r) => mono === null || r.mono === mono).reduce((a, r) => a + r.text.replace(/\s+/g, '').length, 0);
  const headMono = chars(head, true);
  if (headMono < 3 || headMono / Math.max(1, chars(head, null)) < minMono) return runs;
  const last = head[k - 1]!;
  const next = runs[k]!;
  const gap = next.x - (last.x + last.width);
  if (gap < last.height * 2.4) return runs;
  if (COMMENT_START.test(runs.slice(k).map((r) => r.text).join(''))) return runs;
  return head;
}

/** Median distance between consecutive code lines (or line height when there are none). */
function codeLinePitch(lines: readonly Line[], kinds: readonly Classified[]): number {
  const d: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (kinds[i]!.kind !== 'prose' && kinds[i - 1]!.kind !== 'prose') d.push(lines[i]!.y0 - lines[i - 1]!.y0);
  }
  d.sort((a, b) => a - b);
  const h = lines.length > 0 ? lines[0]!.y1 - lines[0]!.y0 : 10;
  return Math.max(1, d.filter((x) => x > 0)[Math.floor(d.length / 2)] ?? h * 1.2);
}

/** A short line entirely left of the listing's code, as OCR makes of a line-number column. */
function isMarginNoise(line: Line, lines: readonly Line[], members: readonly number[]): boolean {
  const left = Math.min(...members.map((i) => lines[i]!.x0));
  return line.x1 < left - 1 && plainText(line).length <= 16;
}

/** A caption line right above or right below the block. */
function captionNear(lines: readonly Line[], s: number, e: number): string | null {
  for (const i of [s - 1, e + 1, s - 2, e + 2]) {
    const l = lines[i];
    if (!l) continue;
    const near = i < s ? lines[s]!.y0 - l.y1 : l.y0 - lines[e]!.y1;
    if (near > (l.y1 - l.y0) * 4) continue;
    const text = plainText(l);
    if (CAPTION.test(text)) return text.slice(0, 500);
  }
  return null;
}

/** The end of the paragraph before the listing (up to three lines, hyphenation undone). */
function contextBefore(lines: readonly Line[], kinds: readonly Classified[], s: number): string | null {
  const parts: string[] = [];
  for (let i = s - 1; i >= 0 && i >= s - 3 && kinds[i]!.kind === 'prose'; i--) {
    const text = plainText(lines[i]!);
    if (CAPTION.test(text)) break;
    parts.unshift(text);
  }
  if (parts.length === 0) return null;
  return parts.reduce((acc, t) => (/[a-z]-$/.test(acc) && /^[a-z]/.test(t) ? acc.slice(0, -1) + t : `${acc} ${t}`)).slice(-500);
}

/** True for text that reads as a caption of a listing or figure. */
export function isCaption(text: string): boolean {
  return CAPTION.test(text);
}
