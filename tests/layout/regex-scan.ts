import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One regular expression found in the source. */
export interface FoundPattern {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  line: number;
  /** The pattern's source; for a pattern that cannot be folded to a constant, the call's text. */
  source: string;
  flags: string;
  /** `v8`: run by the backtracking engine; `re2`: passed to re2() (linear by construction); `dynamic`: not a constant. */
  engine: 'v8' | 're2' | 're2-dynamic' | 'dynamic';
}

/** Names of the calls whose first argument RE2 compiles (annotate/linear-regex.ts). */
const RE2_CALLS = new Set(['re2', 'RE2']);

/** Every `.ts` file under the given top-level folders of root. */
export function listSourceFiles(root: string, folders: readonly string[]): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
  return folders.flatMap((f) => walk(join(root, f))).sort();
}

/**
 * Every regex literal and every `new RegExp(…)`/`RegExp(…)`/`re2(…)` argument in
 * the files, read with TypeScript's parser. A RegExp built from strings is folded
 * to its constant source when it is made of literals, templates, `String.raw`,
 * `const` names in the same file, `.source` of a literal, `[…].join(…)` and `+`.
 */
export function findPatterns(root: string, files: readonly string[]): FoundPattern[] {
  const out: FoundPattern[] = [];
  for (const path of files) {
    const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    const file = relative(root, path).split('\\').join('/');
    const consts = constInitializers(sf);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const visit = (n: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(n)) {
        const { source, flags } = splitLiteral(n.text);
        out.push({ file, line: lineOf(n), source, flags, engine: isRe2Argument(n) ? 're2' : 'v8' });
      } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
        const [pat, flagArg] = n.arguments ?? [];
        if (pat && !ts.isRegularExpressionLiteral(pat)) {
          const source = pat ? fold(pat, consts) : '';
          const flags = flagArg ? fold(flagArg, consts) : '';
          // Built at run time: only RE2 (linear whatever the pattern) makes that safe.
          if (source === null || flags === null) out.push({ file, line: lineOf(n), source: n.getText(sf), flags: '', engine: isRe2Argument(n) ? 're2-dynamic' : 'dynamic' });
          else out.push({ file, line: lineOf(n), source, flags, engine: isRe2Argument(n) ? 're2' : 'v8' });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

function isRe2Argument(n: ts.Node): boolean {
  const p = n.parent;
  return (ts.isCallExpression(p) || ts.isNewExpression(p)) && ts.isIdentifier(p.expression) && RE2_CALLS.has(p.expression.text) && p.arguments?.[0] === n;
}

function splitLiteral(text: string): { source: string; flags: string } {
  const end = text.lastIndexOf('/');
  return { source: text.slice(1, end), flags: text.slice(end + 1) };
}

function constInitializers(sf: ts.SourceFile): Map<string, ts.Expression> {
  const m = new Map<string, ts.Expression>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclarationList(n) && n.flags & ts.NodeFlags.Const) {
      for (const d of n.declarations) if (ts.isIdentifier(d.name) && d.initializer) m.set(d.name.text, d.initializer);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return m;
}

/** The constant string an expression evaluates to, or null when it depends on run-time values. */
function fold(e: ts.Expression, consts: Map<string, ts.Expression>, depth = 0): string | null {
  if (depth > 20) return null;
  const again = (x: ts.Expression) => fold(x, consts, depth + 1);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isParenthesizedExpression(e)) return again(e.expression);
  if (ts.isIdentifier(e)) {
    const init = consts.get(e.text);
    return init ? again(init) : null;
  }
  if (ts.isTemplateExpression(e)) return foldTemplate(e, again, false);
  if (ts.isTaggedTemplateExpression(e) && e.tag.getText() === 'String.raw') {
    const t = e.template;
    return ts.isNoSubstitutionTemplateLiteral(t) ? (t.rawText ?? t.text) : foldTemplate(t, again, true);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [a, b] = [again(e.left), again(e.right)];
    return a === null || b === null ? null : a + b;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'source') {
    const target = ts.isIdentifier(e.expression) ? consts.get(e.expression.text) : e.expression;
    return target && ts.isRegularExpressionLiteral(target) ? splitLiteral(target.text).source : null;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join' && ts.isArrayLiteralExpression(e.expression.expression)) {
    const parts = e.expression.expression.elements.map((x) => again(x));
    const sep = e.arguments[0] ? again(e.arguments[0]) : ',';
    return sep === null || parts.some((p) => p === null) ? null : parts.join(sep);
  }
  return null;
}

function foldTemplate(t: ts.TemplateExpression, again: (x: ts.Expression) => string | null, raw: boolean): string | null {
  const text = (lit: ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail) => (raw ? (lit.rawText ?? lit.text) : lit.text);
  let s = text(t.head);
  for (const span of t.templateSpans) {
    const v = again(span.expression);
    if (v === null) return null;
    s += v + text(span.literal);
  }
  return s;
}
