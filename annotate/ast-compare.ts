import type ParserType from 'tree-sitter';
import { grammarFor, maskCuda, parseSource, reparseEdited, type GrammarName } from './tree-sitter.js';

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
 *
 * For C, C++, CUDA and Python the refined text is parsed incrementally
 * (issue 13: this check was the normalize stage's cost, two full parses per
 * changed file): the original's shape is read first, then its tree is edited
 * to the refined text (one deletion per span normalization removed, see
 * textEdits) and handed to tree-sitter as the old tree, which re-lexes around
 * the edits and reuses the rest, in about a third of a fresh parse's time on
 * real headers. That tree is a genuine parse of the refined text — its leaves
 * are the refined text's tokens, lexed afresh wherever an edit touched them —
 * so equal shapes still mean the same tokens, literals and structure. On the
 * real files of tests/annotate/ast-compare-cursor.test.ts it is also exactly
 * the tree a fresh parse gives. Verilog is parsed afresh: its grammar is
 * ambiguous enough that an incremental parse can resolve a conflict
 * differently (reparseEdited), and annotate reads Verilog's refined tree.
 */
export function compareAst(lang: string, original: string, refined: string): AstComparison | null {
  const grammar = grammarFor(lang);
  const a = parseSource(lang, original);
  if (!grammar || !a) return null;
  const source = (t: string): string => (lang === 'cuda' ? maskCuda(t) : t);
  const sa = source(original);
  const sb = source(refined);
  // The cursor walk allocates no node objects (node.children does, for every node,
  // and node.text re-reads the input callback): it decides; the node walk only runs
  // on a difference, to say where (the same first difference, the same words).
  const before = treeShape(a.walk(), sa, grammar);
  const b = grammar === 'verilog' ? parseSource(lang, refined)! : reparseEdited(lang, a, refined, textEdits(sa, sb));
  if (hasShape(b.walk(), sb, grammar, before)) return { equal: true };
  // The original's tree may now describe the refined text (reparseEdited): parse the original afresh to say where they differ.
  const diff = firstDifference(parseSource(lang, original)!.rootNode, b.rootNode);
  return diff ? { equal: false, reason: diff } : { equal: true };
}

/** A tree in preorder, comments left out: node type ids (END closes a node), and the text of every leaf and literal. */
interface TreeShape {
  ids: number[];
  texts: string[];
}

const END = -1;
const PLAIN = 0;
const LITERAL_KIND = 1;
const COMMENT_KIND = 2;
/** Per grammar, per node type id: plain, literal (compared by its full text) or comment (skipped). */
const kinds = new Map<GrammarName, Map<number, number>>();

function kindOf(grammar: GrammarName, id: number, c: ParserType.TreeCursor): number {
  let byId = kinds.get(grammar);
  if (!byId) kinds.set(grammar, (byId = new Map()));
  let k = byId.get(id);
  if (k === undefined) {
    const type = c.nodeType;
    k = type.includes('comment') ? COMMENT_KIND : LITERAL.test(type) ? LITERAL_KIND : PLAIN;
    byId.set(id, k);
  }
  return k;
}

/**
 * What the comparison decides on, read in one iterative cursor walk (one
 * native call per node for its type, two more per leaf for its span): two
 * trees have equal shapes exactly when their non-comment nodes match type for
 * type and every leaf and literal has the same text. Types are compared by
 * id, so two aliases with one name but different ids differ here;
 * firstDifference, which compares names, then has the last word.
 */
function treeShape(c: ParserType.TreeCursor, src: string, grammar: GrammarName): TreeShape {
  const ids: number[] = [];
  const texts: string[] = [];
  walkShape(c, src, grammar, (id) => void ids.push(id), (text) => void texts.push(text));
  return { ids, texts };
}

/** Whether the tree under the cursor has the shape (stops at the first difference). */
function hasShape(c: ParserType.TreeCursor, src: string, grammar: GrammarName, shape: TreeShape): boolean {
  let i = 0;
  let t = 0;
  const done = walkShape(
    c,
    src,
    grammar,
    (id) => shape.ids[i++] === id,
    (text) => shape.texts[t++] === text,
  );
  return done && i === shape.ids.length && t === shape.texts.length;
}

/** The preorder walk behind both: false as soon as a callback says so. */
function walkShape(c: ParserType.TreeCursor, src: string, grammar: GrammarName, onId: (id: number) => boolean | void, onText: (text: string) => boolean | void): boolean {
  for (;;) {
    const id = c.nodeTypeId;
    const k = kindOf(grammar, id, c);
    if (k !== COMMENT_KIND) {
      if (onId(id) === false) return false;
      if (k !== PLAIN || !c.gotoFirstChild()) {
        if (onText(src.substring(c.startIndex, c.endIndex)) === false || onId(END) === false) return false;
      } else continue;
    }
    // The next sibling, or up (closing each parent) until there is one.
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) return true;
      if (onId(END) === false) return false;
    }
  }
}

/**
 * Edits that turn text a into text b, for Tree.edit: indices and columns in
 * UTF-16 code units (as the node binding counts them), each edit in the
 * coordinates of the text with the earlier edits applied, so they are applied
 * in order. b is matched greedily as a subsequence of a; every unmatched run of
 * a is one deletion, whatever is left of b one insertion at the end.
 * Normalization only deletes (BOM, CR, trailing whitespace, blank lines, extra
 * final newlines) or appends a final newline, so for it this is the exact
 * change; for any other pair (NFC) it is still a correct, if larger, one.
 */
export function textEdits(a: string, b: string): ParserType.Edit[] {
  const out: ParserType.Edit[] = [];
  let i = 0;
  let j = 0;
  // Where i is in a (row, col), and where j is in b (nrow, ncol): also the edited text's position.
  let row = 0;
  let col = 0;
  let nrow = 0;
  let ncol = 0;
  while (i < a.length) {
    if (j < b.length && a.charCodeAt(i) === b.charCodeAt(j)) {
      if (a.charCodeAt(i) === 10) {
        row++;
        col = 0;
        nrow++;
        ncol = 0;
      } else {
        col++;
        ncol++;
      }
      i++;
      j++;
      continue;
    }
    const from = i;
    const fromRow = row;
    const fromCol = col;
    while (i < a.length && !(j < b.length && a.charCodeAt(i) === b.charCodeAt(j))) {
      if (a.charCodeAt(i) === 10) {
        row++;
        col = 0;
      } else col++;
      i++;
    }
    const at = { row: nrow, column: ncol };
    out.push({
      startIndex: j,
      oldEndIndex: j + (i - from),
      newEndIndex: j,
      startPosition: at,
      oldEndPosition: { row: nrow + (row - fromRow), column: row === fromRow ? ncol + (col - fromCol) : col },
      newEndPosition: at,
    });
  }
  if (j < b.length) {
    let r = nrow;
    let c = ncol;
    for (let k = j; k < b.length; k++) {
      if (b.charCodeAt(k) === 10) {
        r++;
        c = 0;
      } else c++;
    }
    const at = { row: nrow, column: ncol };
    out.push({ startIndex: j, oldEndIndex: j, newEndIndex: b.length, startPosition: at, oldEndPosition: at, newEndPosition: { row: r, column: c } });
  }
  return out;
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
