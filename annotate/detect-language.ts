import { re2 } from './linear-regex.js';

/** The languages the corpus tells apart; `unknown` files are not guessed at. */
export type Lang =
  | 'verilog' | 'systemverilog' | 'vhdl' | 'c' | 'cpp' | 'cuda' | 'python' | 'asm'
  | 'llvm-ir' | 'tcl' | 'sdc' | 'linker-script' | 'cmake' | 'make' | 'yosys-script'
  | 'markdown' | 'text' | 'json' | 'yaml' | 'toml' | 'shell' | 'rust' | 'scala' | 'unknown';

/** Languages whose files are code, i.e. everything but prose, data and `unknown`. */
export const CODE_LANGS: ReadonlySet<Lang> = new Set<Lang>([
  'verilog', 'systemverilog', 'vhdl', 'c', 'cpp', 'cuda', 'python', 'asm', 'llvm-ir', 'tcl',
  'sdc', 'linker-script', 'cmake', 'make', 'yosys-script', 'shell', 'rust', 'scala',
]);

/**
 * Markers are only looked for this far into a file: this runs on millions of files,
 * and anything that decides a language shows up near the top.
 */
export const CONTENT_WINDOW = 64 * 1024;

// A Map, not an object literal, so a file named `x.constructor` cannot hit a prototype key.
const BY_EXT: ReadonlyMap<string, Lang> = new Map<string, Lang>([
  ['sv', 'systemverilog'], ['svh', 'systemverilog'], ['vhd', 'vhdl'], ['vhdl', 'vhdl'],
  ['cu', 'cuda'], ['cuh', 'cuda'], ['c', 'c'], ['py', 'python'], ['pyi', 'python'],
  // `.S` (preprocessed) and `.s` differ only in case; both are assembly to us.
  ['s', 'asm'], ['asm', 'asm'], ['ll', 'llvm-ir'], ['tcl', 'tcl'], ['sdc', 'sdc'], ['xdc', 'sdc'],
  ['ld', 'linker-script'], ['lds', 'linker-script'], ['ys', 'yosys-script'], ['cmake', 'cmake'],
  ['mk', 'make'], ['md', 'markdown'], ['markdown', 'markdown'], ['rst', 'markdown'],
  ['txt', 'text'], ['json', 'json'], ['yml', 'yaml'], ['yaml', 'yaml'], ['toml', 'toml'],
  ['sh', 'shell'], ['bash', 'shell'], ['rs', 'rust'], ['scala', 'scala'],
]);

const BY_NAME: ReadonlyMap<string, Lang> = new Map<string, Lang>([
  ['CMakeLists.txt', 'cmake'], ['Makefile', 'make'], ['makefile', 'make'], ['GNUmakefile', 'make'],
  ['LICENSE', 'text'], ['COPYING', 'text'], ['README', 'text'],
]);

const VERILOG_EXTS = new Set(['v', 'vh']);
const HEADER_EXTS = new Set(['h', 'hpp', 'hh', 'hxx', 'inl']);
const CPP_EXTS = new Set(['cpp', 'cc', 'cxx', 'c++']);

// Comments are stripped before looking for keywords, so prose such as
// "// unlike always_ff ..." or "/* see cudaMalloc */" cannot flip a decision.
// An unclosed `/*` runs to the end, as for a compiler; it also keeps the scan linear
// instead of rescanning the rest of the text from every later `/*`.
const C_COMMENTS = /\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*/g;

// `.v` is shared by Verilog and Coq; these only occur at the start of a Coq sentence.
const COQ = /^[ \t]*(?:Require[ \t]+(?:Import|Export)\b|(?:Theorem|Lemma)[ \t]+\w+|Proof\.|Qed\.)/m;

// Constructs that plain Verilog-2005 cannot parse. Anchored to line starts or port
// keywords because `logic`, `class` and `interface` are ordinary words in prose and
// legal Verilog identifiers (yosys' own simlib has `module \$logic_not`).
const SV_ONLY = re2(new RegExp([
  String.raw`\b(?:always_ff|always_comb|always_latch|endinterface|endpackage|endclass)\b`,
  String.raw`(?:^|\b(?:input|output|inout|ref|var)\b)[ \t]*logic\b(?:[ \t]+(?:un)?signed\b)?[ \t]*(?:\[|[A-Za-z_])`,
  String.raw`^[ \t]*interface[ \t]+(?:class[ \t]+)?\w+[ \t]*[;(#]`,
  String.raw`^[ \t]*package[ \t]+\w+[ \t]*;`,
  String.raw`^[ \t]*import[ \t]+\w+::`,
  String.raw`^[ \t]*typedef\b`,
  String.raw`^[ \t]*(?:virtual[ \t]+)?class[ \t]+\w+`,
].join('|'), 'm'));

// `<<<` only counts as a launch when it is not part of a merge-conflict marker.
const CUDA = re2(/\b__(?:global|device|shared)__\b|#[ \t]*include[ \t]*<cuda|\bcudaMalloc\w*\b|(?:^|[^<])<<<(?:[^<]|$)/);
const CUDA_KERNEL = /\b__global__\b/;

// Extensionless `<vector>`-style includes are C++ standard headers; C ones end in `.h`.
const CPP = new RegExp([
  String.raw`^[ \t]*(?:template[ \t]*<|namespace\b|(?:public|private|protected)[ \t]*:)`,
  String.raw`^[ \t]*class[ \t]+[A-Za-z_]\w*[ \t]*(?:final\b[ \t]*)?(?:[:{;]|$)`,
  String.raw`\bstd::`,
  String.raw`#[ \t]*include[ \t]*<\w+>`,
].join('|'), 'm');

/**
 * The language of a file, from its name first and its content where the name is
 * ambiguous (`.v` Verilog/SystemVerilog/Coq, `.h` C/C++/CUDA) or missing (shebangs).
 * Only the first {@link CONTENT_WINDOW} characters of `text` are inspected.
 */
export function detectLanguage(path: string, text: string): Lang {
  const base = basename(path);
  const named = BY_NAME.get(base) ?? BY_NAME.get(caseFoldName(base));
  if (named !== undefined) return named;

  const ext = extension(base);
  const direct = BY_EXT.get(ext);
  if (direct !== undefined) return direct;

  if (VERILOG_EXTS.has(ext)) return classifyVerilog(head(text));
  if (HEADER_EXTS.has(ext)) return classifyHeader(ext, head(text));
  if (CPP_EXTS.has(ext)) return CUDA_KERNEL.test(withoutComments(head(text))) ? 'cuda' : 'cpp';
  return fromShebang(text);
}

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

// The well-known names are spelled in many cases (`Readme`, `license`, `cmakelists.txt`);
// the make names are not folded because `makefile` vs `Makefile` are both listed already.
function caseFoldName(base: string): string {
  const upper = base.toUpperCase();
  if (upper === 'LICENSE' || upper === 'COPYING' || upper === 'README') return upper;
  if (upper === 'CMAKELISTS.TXT') return 'CMakeLists.txt';
  return base;
}

/** Lower-cased extension without the dot; '' for none or for dotfiles like `.bashrc`. */
function extension(base: string): string {
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function head(text: string): string {
  return text.length > CONTENT_WINDOW ? text.slice(0, CONTENT_WINDOW) : text;
}

function withoutComments(code: string): string {
  return code.replace(C_COMMENTS, ' ');
}

function classifyVerilog(text: string): Lang {
  const code = withoutComments(text);
  // A Verilog file never lacks `endmodule`, so a Coq marker plus no module is Coq.
  if (COQ.test(code) && !/\bendmodule\b/.test(code)) return 'unknown';
  return SV_ONLY.test(code) ? 'systemverilog' : 'verilog';
}

function classifyHeader(ext: string, text: string): Lang {
  const code = withoutComments(text);
  if (CUDA.test(code)) return 'cuda';
  if (CPP.test(code)) return 'cpp';
  return ext === 'h' ? 'c' : 'cpp';
}

const SHEBANG_LANGS: ReadonlyArray<readonly [RegExp, Lang]> = [
  [/^python[\d.]*$/, 'python'],
  [/^(?:sh|bash|dash|ash|ksh|zsh)$/, 'shell'],
  [/^(?:tclsh[\d.]*|wish[\d.]*)$/, 'tcl'],
];

/** For files whose name says nothing: `#!/usr/bin/env python3`, `#!/bin/sh`, `#!/usr/bin/tclsh`. */
function fromShebang(text: string): Lang {
  const firstLine = /^\uFEFF?#!([^\n]*)/.exec(text.slice(0, 512))?.[1];
  if (firstLine === undefined) return 'unknown';
  const words = firstLine.trim().split(/\s+/);
  let program = programName(words[0] ?? '');
  // `env` is only a launcher; the interpreter is the first word that is not an option.
  if (program === 'env') program = programName(words.slice(1).find((w) => !w.startsWith('-')) ?? '');
  for (const [pattern, lang] of SHEBANG_LANGS) if (pattern.test(program)) return lang;
  return 'unknown';
}

function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
