import { re2 } from '../annotate/linear-regex.js';
import { errorRatio, parseSource } from '../annotate/tree-sitter.js';
import { fixOcrConfusions } from './ocr-confusions.js';

/** The corrections OCR'd listings get, in the order they run. */
export const CORRECTION_KINDS = ['vocabulary', 'hex', 'brace', 'directive', 'closing-brace', 'confusion'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/** One correction as it is recorded in the snippet's provenance (`literature_snippets.details.ocrFixes`). */
export interface Correction {
  kind: CorrectionKind;
  /** 1-based line of the snippet (0: the whole snippet). */
  line: number;
  from: string;
  to: string;
}

export interface CorrectOptions {
  /** Identifiers with underscores seen in the same document (any listing, any page). */
  vocabulary?: ReadonlySet<string>;
  /** Corrections to leave out (the benchmark measures each one's effect). */
  disable?: ReadonlySet<CorrectionKind>;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Identifiers that hold an underscore between two other characters, for a document's vocabulary. */
export function underscoredIdentifiers(text: string): string[] {
  return (text.match(IDENT) ?? []).filter((t) => /[A-Za-z0-9]_+[A-Za-z0-9]/.test(t));
}

/**
 * Code-aware corrections of an OCR'd listing. Each is taken only with
 * evidence: the document's own identifiers (`s WarpHist`/`sWarpHist` →
 * `s_WarpHist` when `s_WarpHist` is written elsewhere in it), the lexical
 * form of a literal (`O0xQ7FFFFFFU` → `0x07FFFFFFU`), or the grammar — the
 * tree-sitter error share must not rise (`#1f` → `#if`) or must strictly
 * fall (`) 4` → `) {`, a lost `}` restored by bracket balance, one-character
 * confusions). Languages without a grammar get only the vocabulary fixes.
 */
export function correctListing(lang: string, text: string, opts: CorrectOptions = {}): { text: string; fixes: Correction[] } {
  const off = opts.disable ?? new Set<CorrectionKind>();
  const fixes: Correction[] = [];
  let out = text;
  if (!off.has('vocabulary') && opts.vocabulary && opts.vocabulary.size > 0) out = restoreUnderscores(out, opts.vocabulary, fixes);
  const hasGrammar = parseSource(lang, '') !== null;
  if (!hasGrammar) return { text: out, fixes };
  // Bytes under ERROR/MISSING nodes, not their share: a fix that shortens the text must not look worse.
  const score = (t: string): number => errorRatio(parseSource(lang, t)!, t.length) * Math.max(1, t.length);
  if (!off.has('hex')) out = perLine(out, fixes, 'hex', fixHexLiterals, score, false);
  if (!off.has('brace')) out = perLine(out, fixes, 'brace', fixOpeningBrace, score, true);
  if (!off.has('directive') && lang !== 'python') out = perLine(out, fixes, 'directive', fixDirective, score, false);
  if (!off.has('closing-brace')) out = closeBraces(out, fixes, score);
  if (!off.has('confusion')) {
    const c = fixOcrConfusions(lang, out);
    out = c.text;
    for (const f of c.fixes) fixes.push({ kind: 'confusion', ...f });
  }
  return { text: out, fixes };
}

/**
 * Where a line comment starts (`//`, or `#` followed by a space as in
 * Python and shell; `#include` is no comment), outside double-quoted strings;
 * the line's length when there is none.
 */
export function commentStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (quoted) continue;
    const two = line.slice(i, i + 2);
    if (two === '//' || (c === '#' && (line[i + 1] === ' ' || i + 1 === line.length))) return i;
  }
  return line.length;
}

/**
 * `A B` or `AB` becomes `A_B` when the document writes `A_B`: only
 * underscores may differ, and the underscored spelling must be the only one
 * of the vocabulary with those letters.
 */
function restoreUnderscores(text: string, vocabulary: ReadonlySet<string>, fixes: Correction[]): string {
  const byKey = new Map<string, string | null>();
  for (const v of vocabulary) {
    const key = v.replace(/_/g, '');
    const had = byKey.get(key);
    byKey.set(key, had === undefined || had === v ? v : null);
  }
  const fix = (t: string): string | null => {
    const want = byKey.get(t.replace(/_/g, ''));
    return want && want !== t && !vocabulary.has(t) ? want : null;
  };
  return text
    .split('\n')
    .map((line, i) => {
      const toks = [...line.matchAll(IDENT)].map((m) => ({ at: m.index, text: m[0] }));
      // In a comment two words are prose (`// continue if no stub bits found`): no pair is joined there.
      const comment = commentStart(line);
      let out = '';
      let pos = 0;
      for (let k = 0; k < toks.length; k++) {
        const t = toks[k]!;
        const u = toks[k + 1];
        // Two identifiers one space apart (`s WarpHist`, `d Result`).
        const pair = u && t.at < comment && u.at === t.at + t.text.length + 1 && line[t.at + t.text.length] === ' ' ? fix(t.text + u.text) : null;
        const single = pair ? null : fix(t.text);
        const want = pair ?? single;
        if (!want) continue;
        const end = pair ? u!.at + u!.text.length : t.at + t.text.length;
        fixes.push({ kind: 'vocabulary', line: i + 1, from: line.slice(t.at, end), to: want });
        out += line.slice(pos, t.at) + want;
        pos = end;
        if (pair) k++;
      }
      return out + line.slice(pos);
    })
    .join('\n');
}

/** `O0xQ7FFFFFFU`, `OxO7FF`: a hex literal with letters for its zeros and junk before the `0x`. */
function fixHexLiterals(line: string): string {
  return line.replace(/(^|[^A-Za-z0-9_])[O0oQD]{0,2}[0Oo][xX]([0-9A-Fa-fOoQDIl]+)([uUlL]{0,3})(?![A-Za-z0-9_])/g, (m: string, pre: string, digits: string, suffix: string) => {
    const clean = digits.replace(/[OoQD]/g, '0').replace(/[Il]/g, '1');
    return `${pre}0x${clean}${suffix}`;
  });
}

/** A `{` read as `4` (or `(`) at the end of a line that opens a block: `) 4`, `else 4`, `do 4`. */
function fixOpeningBrace(line: string): string {
  return line.replace(/(\)|\belse|\bdo|\btry)(\s*)[4(]$/, '$1$2{');
}

const DIRECTIVES = ['if', 'ifdef', 'ifndef', 'else', 'elif', 'endif', 'define', 'undef', 'include', 'pragma', 'error'];

/** `#1f`, `#lf`, `#1ifATOMICS`, `# endlf`: a preprocessor directive with a misread letter or a lost space. */
function fixDirective(line: string): string {
  const m = re2(/^(\s*#\s*)([A-Za-z0-9|]+)(.*)$/).exec(line);
  if (!m) return line;
  const [, hash, word, rest] = m as unknown as [string, string, string, string];
  if (DIRECTIVES.includes(word)) return line;
  const norm = word.replace(/[1|I]/g, 'i').replace(/0/g, 'o');
  for (const d of [...DIRECTIVES].sort((a, b) => b.length - a.length)) {
    for (const cand of [norm, norm.replace(/^i/, '')]) {
      if (cand === d) return `${hash}${d}${rest}`;
      // A lost space: `#1ifATOMICS` → `#if ATOMICS`.
      if (cand.startsWith(d) && /^[A-Z_]/.test(word.slice(word.length - (cand.length - d.length)))) return `${hash}${d} ${word.slice(word.length - (cand.length - d.length))}${rest}`;
    }
  }
  return line;
}

/** Applies a line rewrite where it changes something and the grammar agrees (strictly better, or no worse). */
function perLine(text: string, fixes: Correction[], kind: CorrectionKind, rewrite: (l: string) => string, score: (t: string) => number, strict: boolean): string {
  const lines = text.split('\n');
  let base = score(text);
  lines.forEach((line, i) => {
    const next = rewrite(line);
    if (next === line) return;
    const trial = [...lines.slice(0, i), next, ...lines.slice(i + 1)].join('\n');
    const s = score(trial);
    if (strict ? s < base - 1e-9 : s <= base + 1e-9) {
      lines[i] = next;
      base = s;
      fixes.push({ kind, line: i + 1, from: line.trim(), to: next.trim() });
    }
  });
  return lines.join('\n');
}

/**
 * Lost closing braces (a `}` on a frame edge or at a page foot): while `{`
 * outnumber `}`, a `}` indented like the line that opened the last unclosed
 * block is appended — kept only when the parse gets strictly better.
 */
function closeBraces(text: string, fixes: Correction[], score: (t: string) => number): string {
  let out = text;
  for (let n = 0; n < 3; n++) {
    const open = unclosedOpeners(out);
    if (open.length === 0) return out;
    const opener = out.split('\n')[open[open.length - 1]!]!;
    const indent = opener.length - opener.trimStart().length;
    const body = out.replace(re2(/\n+$/), '');
    const trial = `${body}\n${' '.repeat(indent)}}\n`;
    if (score(trial) >= score(out) - 1e-9) return out;
    fixes.push({ kind: 'closing-brace', line: body.split('\n').length + 1, from: '', to: '}' });
    out = trial;
  }
  return out;
}

/** Lines holding a `{` that no later `}` closes (strings, chars and comments skipped). */
function unclosedOpeners(text: string): number[] {
  const stack: number[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.replace(re2(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/\/.*$/g), '');
    for (const ch of code) {
      if (ch === '{') stack.push(i);
      else if (ch === '}') stack.pop();
    }
  });
  return stack;
}
