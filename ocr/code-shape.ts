import { re2 } from '../annotate/linear-regex.js';
import { plainText, type Line } from './layout.js';

/**
 * Line shapes that prose does not have: statement ends, operators, directives,
 * comments, shell prompts and the keywords that open HDL/C/Python/shell lines.
 */
const CODE_LINE = re2(new RegExp([
  String.raw`[;{}]\s*$`,
  String.raw`^\s*(?:#\s*(?:include|define|if|ifdef|endif|pragma)|//|/\*|\*|--|\$ |>>> |@)`,
  String.raw`->|::|==|!=|<=|>=|\+\+|&&|\|\||<<|>>|\w\(\)|\[\d*:?\d*\]`,
  // A lone macro name or macro call (`USING_YOSYS_NAMESPACE`, `PRIVATE_NAMESPACE_BEGIN`).
  String.raw`^\s*[A-Z][A-Z0-9]*_[A-Z0-9_]*(?:\(.*\))?;?\s*$`,
  String.raw`^\s*(?:module|endmodule|input|output|inout|wire|reg|logic|assign|always\w*|begin|end\w*|initial|parameter|localparam|entity|architecture|signal|process|library|use|int|void|char|float|unsigned|static|const|struct|typedef|return|if|else|for|while|switch|case|def|class|import|from|with|print|mov|ldr|str|add|sub|bl?|jmp|call|ret|push|pop|cd|make|export|read_verilog|synth\w*|opt\w*|verilator|yosys|iverilog|gcc|clang|nvcc)\b`,
].join('|')));

/** True when a line of text looks like code rather than prose. */
export function looksLikeCode(text: string): boolean {
  // OCR keeps a listing's line number on the line ("58 // we will record …"), or a misread one ("(6)").
  const t = text.trim().replace(/^(?=\S*\d)[\doOlI|%()]{1,4}\s+(?=\S)/, '');
  if (t.length === 0) return false;
  if (COMMENT.test(t)) return true;
  // Sentences are prose even when they mention `RTLIL::SigSpec` or `foo()`.
  if (isProse(t)) return false;
  return CODE_LINE.test(t);
}

const COMMENT = /^(?:\/\/|\/\*|#(?!\w)|--\s|;\s)/;

/** Eight or more words, half of them plain lower-case words: a sentence. */
export function isProse(t: string): boolean {
  const words = t.split(/\s+/);
  if (words.length < 8) return false;
  const plain = words.filter((w) => /^[a-z]+[,.;:]?$/.test(w)).length;
  return plain / words.length >= 0.5;
}

/**
 * Fonts a document sets its code in, when the font's name does not say so
 * (Type 3 fonts of Sphinx/LaTeX output are all called "Type3"): a font that is
 * not the body font and whose single-font lines mostly look like code.
 * @returns the font keys to treat as fixed-pitch
 */
export function inferCodeFonts(lines: readonly Line[], minShare = 0.4): Set<string> {
  const chars = new Map<string, number>();
  const stats = new Map<string, { lines: number; code: number }>();
  for (const line of lines) {
    const fonts = new Set<string>();
    for (const r of line.runs) {
      if (!r.font) continue;
      chars.set(r.font, (chars.get(r.font) ?? 0) + r.text.length);
      if (r.text.trim()) fonts.add(r.font);
    }
    if (fonts.size !== 1) continue;
    const font = [...fonts][0]!;
    const s = stats.get(font) ?? stats.set(font, { lines: 0, code: 0 }).get(font)!;
    s.lines++;
    if (looksLikeCode(plainText(line))) s.code++;
  }
  const body = [...chars].sort((a, b) => b[1] - a[1])[0]?.[0];
  const out = new Set<string>();
  for (const [font, s] of stats) if (font !== body && s.lines >= 2 && s.code / s.lines >= minShare) out.add(font);
  return out;
}
