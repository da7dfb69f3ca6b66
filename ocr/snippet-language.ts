import { detectLanguage, type Lang } from '../annotate/detect-language.js';
import { errorRatio, parseSource } from '../annotate/tree-sitter.js';
import { re2 } from '../annotate/linear-regex.js';

/** Hints from around a snippet: a caption, the sentence before it, an HTML class. */
export interface SnippetHints {
  caption?: string | null;
  context?: string | null;
  /** An extension or language name from markup (`language-verilog`, `lang-c`). */
  language?: string | null;
}

export interface SnippetLanguage {
  lang: Lang;
  /** The extension the snippet is stored under (it decides the language again at rebuild). */
  ext: string;
  /** How the language was decided: `hint`, `filename` or `content`. */
  by: 'hint' | 'filename' | 'content' | 'none';
}

/** Markup names → extensions (highlight.js, Prism, Pygments and GitHub names). */
const NAME_TO_EXT: ReadonlyMap<string, string> = new Map([
  ['verilog', 'v'], ['v', 'v'], ['systemverilog', 'sv'], ['sv', 'sv'], ['vhdl', 'vhd'], ['vhd', 'vhd'],
  ['c', 'c'], ['h', 'c'], ['cpp', 'cpp'], ['c++', 'cpp'], ['cxx', 'cpp'], ['cuda', 'cu'], ['cu', 'cu'],
  ['python', 'py'], ['py', 'py'], ['python3', 'py'], ['asm', 's'], ['nasm', 's'], ['armasm', 's'], ['gas', 's'], ['x86asm', 's'],
  ['llvm', 'll'], ['tcl', 'tcl'], ['bash', 'sh'], ['sh', 'sh'], ['shell', 'sh'], ['console', 'sh'], ['shell-session', 'sh'],
  ['cmake', 'cmake'], ['make', 'mk'], ['makefile', 'mk'], ['ld', 'ld'], ['linker-script', 'ld'], ['rust', 'rs'], ['scala', 'scala'],
  ['yosys', 'ys'], ['json', 'json'], ['yaml', 'yaml'], ['toml', 'toml'],
]);

const FILENAME = re2(/\b[\w.-]+\.(v|vh|sv|svh|vhdl?|c|h|cc|cpp|hpp|cu|cuh|py|ys|tcl|sdc|xdc|s|S|asm|ld|lds|ll|sh|mk)\b/);

/** Content rules, first match wins; ordered from the most to the least specific. */
const CONTENT_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b__(?:global|device|shared)__\b|<<<[^<]|\bcudaMalloc|\b(?:threadIdx|blockIdx|blockDim|gridDim)\.[xyz]\b|\b__syncthreads\(/, 'cu'],
  [re2(/@triton\.jit|^\s*import (?:triton|torch|numpy|cadquery)|^\s*(?:def|class) \w+.*:\s*$|^\s*from [\w.]+ import /m), 'py'],
  [re2(/^\s*(?:module|macromodule)\s+[\w\\$]*\s*[(#;]|\bendmodule\b|^\s*always\s*@/m), 'v'],
  [re2(/\bentity\s+\w+\s+is\b|\barchitecture\s+\w+\s+of\b/i), 'vhd'],
  [re2(/^\s*(?:SECTIONS|MEMORY)\s*\{?\s*$/m), 'ld'],
  [re2(/^\s*(?:read_verilog|read_liberty|synth\w*|proc|opt\w*|techmap|abc|dfflibmap|hierarchy|write_\w+|flatten|stat|show)\b[^;{}()=]*$/m), 'ys'],
  [re2(/^\s*(?:\$ |#!\/bin\/(?:ba)?sh|(?:cd|make|mkdir|export|cat|verilator|iverilog|yosys|gcc|clang|git|sudo|apt(?:-get)?) )/m), 'sh'],
  // Tokens may carry spaces from the text layer (`std :: map`, `# include`).
  [re2(/\bstd\s*::|^\s*(?:template\s*<|namespace\s+\w+|class\s+\w+\s*[:{]|(?:struct|class)\s+\w+\s*:\s*(?:public|private|protected)\b)/m), 'cpp'],
  [re2(/^\s*#\s*(?:include\s*[<"]|(?:ifn?def|endif|define)\b)|\bfor\s*\(\s*(?:int|unsigned|size_t)\s|\b(?:int|void|char|unsigned|static)\s+\**\w+\s*\(/m), 'c'],
  [re2(/^\s*(?:\w+:\s*)?(?:mov|ldr|str|add|sub|bl?|bx|jmp|call|ret|push|pop|lea|cmp)\s+[%$#\w[]/im), 's'],
];

/** Decides a snippet's language: markup hint, then a file name in its caption, then its content. */
export function guessSnippetLanguage(text: string, hints: SnippetHints = {}): SnippetLanguage {
  const hinted = hints.language ? NAME_TO_EXT.get(hints.language.toLowerCase()) : undefined;
  const named = FILENAME.exec(`${hints.caption ?? ''} ${hints.context ?? ''}`)?.[1];
  const fromContent = CONTENT_RULES.find(([re]) => re.test(text))?.[1];
  const [ext, by] = hinted ? [hinted, 'hint' as const] : named ? [normalizeExt(named), 'filename' as const] : fromContent ? [fromContent, 'content' as const] : ['txt', 'none' as const];
  const lang = ext === 'txt' ? 'text' : detectLanguage(`snippet.${ext}`, text);
  return { lang, ext, by };
}

function normalizeExt(ext: string): string {
  return ext === 'S' ? 's' : ext.toLowerCase();
}

/**
 * Validity score: 1 minus tree-sitter's error share for languages with a
 * grammar (C, C++, CUDA, Python, Verilog/SystemVerilog); null otherwise.
 */
export function validityScore(lang: string, text: string): number | null {
  const tree = parseSource(lang, text);
  if (!tree) return null;
  return Math.round((1 - errorRatio(tree, text.length)) * 1000) / 1000;
}
