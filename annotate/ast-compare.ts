import type ParserType from 'tree-sitter';
import { parseSource } from './tree-sitter.js';

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
  const diff = firstDifference(a.rootNode, b.rootNode);
  return diff ? { equal: false, reason: diff } : { equal: true };
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
