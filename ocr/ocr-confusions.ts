import type ParserType from 'tree-sitter';
import { errorRatio, parseSource } from '../annotate/tree-sitter.js';

/**
 * Characters OCR confuses in code, and what each may really be: O/0, l/1/I/|,
 * typographic quotes, and brackets that lose a stroke (`]` read as `7`, `0` as
 * `@` inside `[0]`, seen on the Yosys manual scans).
 */
const CONFUSIONS: Readonly<Record<string, readonly string[]>> = {
  O: ['0'], o: ['0'], '0': ['O'], D: ['0'], Q: ['0'], '@': ['0', ']'],
  l: ['1'], I: ['1', 'l', '!'], '1': ['l'], '|': ['1', 'l'], i: ['1'],
  '7': [']'], '}': [')', ']'], ')': ['}', ']'], '{': ['('], '(': ['{'], J: [']'],
  ';': [':'], ':': [';'], ',': ['.', ';'], '.': [','],
  '\u2018': ["'"], '\u2019': ["'"], '\u201c': ['"'], '\u201d': ['"'], '`': ["'"], "'": ['`'],
};

/**
 * Confusions of two characters at once, which one-character edits cannot undo:
 * both strokes of a decrement thickened into `=` (`k--;` read `k==;` twice on
 * binomialOptions p. 9 at 200 DPI; `k-=;` still fails to parse), and a bracket
 * or semicolon read with a stray stroke before it (`values([tid]`, `cmp([5]`,
 * `[tid]):;` — eleven times on cuda_dxtc p. 6).
 */
const PAIR_CONFUSIONS: Readonly<Record<string, readonly string[]>> = { '==': ['--'], '([': ['['], ':;': [';'] };

/** Edits to try at `at`: `[length replaced, replacement]`. */
function editsAt(text: string, at: number): Array<[number, string]> {
  const out: Array<[number, string]> = (CONFUSIONS[text[at]!] ?? []).map((to) => [1, to]);
  for (const [from, tos] of Object.entries(PAIR_CONFUSIONS)) if (text.startsWith(from, at)) for (const to of tos) out.push([from.length, to]);
  return out;
}

export interface OcrFix {
  line: number;
  from: string;
  to: string;
}

export interface FixOptions {
  /** Most substitutions applied to one snippet. @default 20 */
  maxFixes?: number;
  /** Most candidate parses per round (each is a full re-parse). @default 300 */
  maxTries?: number;
  /**
   * Most candidate parses in all rounds together, so a badly read page cannot
   * stall the crawl. A count, not a time: with a wall-clock budget the same
   * scan came out differently under load (the document's own time and heap
   * budget, extract-with-budget.ts, is the hard stop). @default 1500
   */
  maxParses?: number;
}

/**
 * Corrects OCR confusions only where the grammar agrees: a one-character
 * substitution inside or next to a parse error is kept when it strictly lowers
 * the tree-sitter error share and leaves its line without ERROR or MISSING
 * nodes; the best one is applied and the search repeats.
 * Languages without a grammar are returned unchanged.
 */
export function fixOcrConfusions(lang: string, text: string, opts: FixOptions = {}): { text: string; fixes: OcrFix[] } {
  const fixes: OcrFix[] = [];
  let tree = parseSource(lang, text);
  if (!tree) return { text, fixes };
  let score = errorRatio(tree, text.length);
  // Typographic quotes come in pairs, which one-character edits cannot fix: try them all at once.
  const straight = text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  if (straight !== text && score > 0) {
    const s = errorRatio(parseSource(lang, straight)!, straight.length);
    if (s < score - 1e-9) {
      fixes.push({ line: 0, from: '\u201c\u201d\u2018\u2019', to: `"'` });
      text = straight;
      score = s;
      tree = parseSource(lang, text)!;
    }
  }
  let parses = opts.maxParses ?? 1500;
  while (score > 0 && fixes.length < (opts.maxFixes ?? 20) && parses > 0) {
    let best: { text: string; score: number; at: number; from: string; to: string } | null = null;
    let tries = 0;
    for (const at of candidatePositions(tree, text)) {
      for (const [len, to] of editsAt(text, at)) {
        if (tries++ >= (opts.maxTries ?? 300) || parses <= 0) break;
        const next = text.slice(0, at) + to + text.slice(at + len);
        // A digit put into a word must make a number (`1O` → `10`), never `for` → `f0r`.
        if (/\d/.test(to) && (/[A-Za-z]/.test(text[at - 1] ?? '') || /[A-Za-z]/.test(text[at + 1] ?? '')) && !numericToken(next, at)) continue;
        const t = parseSource(lang, next)!;
        parses--;
        const s = errorRatio(t, next.length);
        // The edited line must come out clean: a lower error share alone also rewarded edits that only
        // moved tree-sitter's error recovery (`std: :map` → `std; ;map`, `MAX INTERVALS` → `MAX !NTERVALS`,
        // a paragraph in the code font turned comma by comma into semicolons).
        if (errorRows(t).has(rowOf(next, at))) continue;
        const tie = best !== null && Math.abs(s - best.score) <= 1e-9;
        // On a tie a dropped stray stroke beats a substitution (`):;` → `);`, not `);;`, an empty statement that parses).
        const better = !best || s < best.score - 1e-9 || (tie && next.length < best.text.length) || (tie && next.length === best.text.length && numericToken(next, at) && !numericToken(best.text, best.at));
        if (s < score - 1e-9 && better) best = { text: next, score: s, at, from: text.slice(at, at + len), to };
      }
    }
    if (!best) break;
    fixes.push({ line: text.slice(0, best.at).split('\n').length, from: best.from, to: best.to });
    text = best.text;
    score = best.score;
    tree = parseSource(lang, text)!;
  }
  return { text, fixes };
}

/**
 * Ties go to the edit that leaves a number (`1O` → `10`, not `lO`): OCR turns
 * digits into look-alike letters far more often than it invents digits in names.
 */
function numericToken(text: string, at: number): boolean {
  let a = at;
  let b = at + 1;
  while (a > 0 && /\w/.test(text[a - 1]!)) a--;
  while (b < text.length && /\w/.test(text[b]!)) b++;
  return /^(?:\d+|0x[0-9a-f]+)$/i.test(text.slice(a, b));
}

/** Rows an ERROR or MISSING node starts or ends on. */
function errorRows(tree: ParserType.Tree): Set<number> {
  const rows = new Set<number>();
  const walk = (node: ParserType.SyntaxNode): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      rows.add(node.startPosition.row);
      rows.add(node.endPosition.row);
      return;
    }
    if (node.hasError) for (const c of node.children) walk(c);
  };
  walk(tree.rootNode);
  return rows;
}

const rowOf = (text: string, at: number): number => text.slice(0, at).split('\n').length - 1;

/** Offsets of confusable characters on the lines that hold ERROR or MISSING nodes (and the line above each). */
function candidatePositions(tree: ParserType.Tree, text: string): number[] {
  const lines = errorRows(tree);
  for (const r of [...lines]) if (r > 0) lines.add(r - 1);
  const out: number[] = [];
  let offset = 0;
  text.split('\n').forEach((line, row) => {
    if (lines.has(row)) for (let i = 0; i < line.length; i++) if (CONFUSIONS[line[i]!] || Object.keys(PAIR_CONFUSIONS).some((k) => line.startsWith(k, i))) out.push(offset + i);
    offset += line.length + 1;
  });
  return out;
}
