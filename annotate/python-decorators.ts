/** A Python `def` and the decorator lines right above it. */
export interface DecoratedDef {
  /** The decorator block as written, arguments and continuation lines included. */
  decorators: string;
  name: string;
}

const DECORATOR_START = /^[ \t]*@/;
const DEF_LINE = /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/;

/**
 * Every decorated function, in one pass over the lines. Written as a scan rather
 * than a regex: the pattern it replaces (`((?:^@…\n(?:[ \t]+…\n)*)+)^def`) let an
 * indented `@` line be either a new decorator or a continuation, and backtracked
 * exponentially on real files (google/riscv-dv's pygen: > 5 s per file, issue 12).
 * A decorator's arguments run on while its brackets are open; blank lines (and
 * stripped comments) may sit between the decorators and the `def`.
 */
export function decoratedDefs(text: string): DecoratedDef[] {
  const out: DecoratedDef[] = [];
  const lines = text.split('\n');
  let block: string[] = [];
  let depth = 0;
  for (const line of lines) {
    if (depth > 0) {
      block.push(line);
      depth = Math.max(0, depth + bracketDelta(line));
      continue;
    }
    if (DECORATOR_START.test(line)) {
      block.push(line);
      depth = Math.max(0, bracketDelta(line));
      continue;
    }
    if (block.length === 0) continue;
    const def = DEF_LINE.exec(line);
    if (def) {
      out.push({ decorators: `${block.join('\n')}\n`, name: def[1]! });
      block = [];
    } else if (line.trim() !== '') {
      block = [];
    }
  }
  return out;
}

/** Open minus closed brackets on one line, outside '…' and "…" string literals. */
function bracketDelta(line: string): number {
  let d = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') d++;
    else if (ch === ')' || ch === ']' || ch === '}') d--;
  }
  return d;
}
