import type ParserType from 'tree-sitter';
import { maskCuda, parseSource } from './tree-sitter.js';

export interface AstComparison {
  equal: boolean;
  /** Why they differ: the first differing node and where (1-based line of the original). */
  reason?: string;
}

// Literal nodes are compared by their full text: whitespace inside a string or
// a macro body is content, not formatting.
const LITERAL = /string|char_literal|raw_string|heredoc|macro_text|concatenation_literal/;
const isComment = (n: ParserType.SyntaxNode): boolean => n.type.includes('comment');

/**
 * Parses original and refined text and compares the trees, ignoring comments
 * and whitespace between tokens: node types must match one for one, and every
 * leaf and literal must have identical text. Null when no grammar fits.
 */
export function compareAst(lang: string, original: string, refined: string): AstComparison | null {
  const a = parseSource(lang, original);
  const b = parseSource(lang, refined);
  if (!a || !b) return null;
  // The cursor walk allocates no node objects (node.children does, for every node,
  // and node.text re-reads the input callback): it decides; the node walk only runs
  // on a difference, to say where (the same first difference, the same words).
  const source = (t: string): string => (lang === 'cuda' ? maskCuda(t) : t);
  if (sameTree(a.walk(), source(original), b.walk(), source(refined))) return { equal: true };
  const diff = firstDifference(a.rootNode, b.rootNode);
  return diff ? { equal: false, reason: diff } : { equal: true };
}

/** Moves a cursor from where it is to the first non-comment node at or after it among its siblings; false when there is none. */
function skipComments(c: ParserType.TreeCursor): boolean {
  while (c.nodeType.includes('comment')) if (!c.gotoNextSibling()) return false;
  return true;
}

/**
 * firstDifference(…) === null, decided on two tree cursors (over the parsed
 * sources: the masked text for CUDA), each left where it started.
 */
function sameTree(a: ParserType.TreeCursor, sa: string, b: ParserType.TreeCursor, sb: string): boolean {
  const type = a.nodeType;
  if (type !== b.nodeType) return false;
  const sameText = (): boolean => sa.substring(a.startIndex, a.endIndex) === sb.substring(b.startIndex, b.endIndex);
  if (LITERAL.test(type)) return sameText();
  const downA = a.gotoFirstChild();
  if (!downA) return sameText();
  const downB = b.gotoFirstChild();
  let same = true;
  let moreA = skipComments(a);
  let moreB = downB && skipComments(b);
  while (moreA && moreB) {
    if (!sameTree(a, sa, b, sb)) {
      same = false;
      break;
    }
    moreA = a.gotoNextSibling() && skipComments(a);
    moreB = b.gotoNextSibling() && skipComments(b);
  }
  if (same && moreA !== moreB) same = false;
  a.gotoParent();
  if (downB) b.gotoParent();
  return same;
}

/** The node walk alone (what compareAst reports on a difference); null when the trees agree. */
export function firstAstDifference(lang: string, original: string, refined: string): string | null {
  const a = parseSource(lang, original);
  const b = parseSource(lang, refined);
  return a && b ? firstDifference(a.rootNode, b.rootNode) : null;
}

function firstDifference(a: ParserType.SyntaxNode, b: ParserType.SyntaxNode): string | null {
  if (a.type !== b.type) return `node ${a.type} became ${b.type} at line ${a.startPosition.row + 1}`;
  if (a.childCount === 0 || LITERAL.test(a.type)) {
    return a.text === b.text ? null : `${a.type} text changed at line ${a.startPosition.row + 1}`;
  }
  const ca = a.children.filter((n) => !isComment(n));
  const cb = b.children.filter((n) => !isComment(n));
  if (ca.length !== cb.length) return `${a.type} has ${ca.length} children, refined ${cb.length}, at line ${a.startPosition.row + 1}`;
  for (let i = 0; i < ca.length; i++) {
    const d = firstDifference(ca[i]!, cb[i]!);
    if (d) return d;
  }
  return null;
}
