import { re2 } from './linear-regex.js';
/** What a normalization changed, in the order applied (recorded with the document). */
export type NormalizeChange = 'bom' | 'crlf' | 'nfc' | 'trailing-whitespace' | 'blank-runs' | 'final-newline';

export interface NormalizeOptions {
  /** Longest run of blank lines kept (PEP 8's two between top-level definitions). @default 2 */
  maxBlankLines?: number;
  /**
   * Only surface fixes that cannot change any language's meaning (BOM, CRLF,
   * final newline): for languages no grammar can check afterwards. @default false
   */
  surfaceOnly?: boolean;
}

export interface NormalizeResult {
  text: string;
  changes: NormalizeChange[];
}

// Trailing whitespace is semantic in Makefile variable values (`X = a ` keeps
// the space) and is a hard line break in Markdown.
const KEEP_TRAILING = new Set(['make', 'markdown']);

/**
 * Normalizes surface formatting: BOM, CRLF → LF, Unicode NFC, trailing
 * whitespace, runs of blank lines, one final newline. Never touches leading
 * whitespace (Makefile tabs, Python indentation) and never strips whitespace
 * after a line-ending backslash (that would create a `define/macro
 * continuation). Strings that span lines are guarded by the AST comparison,
 * which rejects any refinement that changes a literal.
 */
export function normalizeText(text: string, lang: string, opts: NormalizeOptions = {}): NormalizeResult {
  const changes: NormalizeChange[] = [];
  let t = text;
  if (t.charCodeAt(0) === 0xfeff) {
    t = t.slice(1);
    changes.push('bom');
  }
  if (t.includes('\r\n')) {
    t = t.replace(/\r\n/g, '\n');
    changes.push('crlf');
  }
  if (!opts.surfaceOnly) {
    const nfc = t.normalize('NFC');
    if (nfc !== t) changes.push('nfc');
    t = nfc;
    if (!KEEP_TRAILING.has(lang)) {
      // Not after a backslash: `\ ` then newline is not a continuation, `\` then newline is.
      const stripped = t.replace(re2(/^(.*?)[ \t\f\v]+$/gm), (line, body: string) => (body.endsWith('\\') ? line : body));
      if (stripped !== t) changes.push('trailing-whitespace');
      t = stripped;
    }
    const max = opts.maxBlankLines ?? 2;
    const collapsed = t.replace(re2(new RegExp(`\\n{${max + 2},}`, 'g')), '\n'.repeat(max + 1));
    if (collapsed !== t) changes.push('blank-runs');
    t = collapsed;
  }
  const ended = t.length === 0 ? t : t.replace(re2(/\n*$/), '\n');
  if (ended !== t) changes.push('final-newline');
  return { text: ended, changes };
}
