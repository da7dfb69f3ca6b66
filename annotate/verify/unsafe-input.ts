import { re2 } from '../linear-regex.js';
/**
 * Directives that make a compiler or synthesizer read a file by path. An
 * absolute path or a `..` that climbs out of the repository points at the
 * host (`#include "/etc/passwd"`, `$readmemh("../../../root/.ssh/id_rsa")`):
 * such a file is refused before any tool runs. Arguments built from macros
 * (`#define P "../x"` + `#include P`, `` `include `P ``) and from string
 * parameters (`$readmemh(INIT_FILE, mem)`) are expanded first. The sandbox
 * hides the host too, the materialized tree is padded so an allowed `..` never
 * leaves the job dir, and the preprocessor's own list of opened files is
 * checked after the run (run-check): this is the first of those walls, and it
 * gives a clear status.
 */
const C_DIRECTIVE = /^[ \t]*#[ \t]*(include|include_next|import|embed)\b[ \t]*([^\n]*)/gm;
const V_INCLUDE = /`include\b[ \t]*([^\n]*)/g;
// $readmemh/b run at elaboration in yosys; the others only in a simulation nobody runs (checked when literal).
const V_READMEM = /\$readmem[hb]\s*\(\s*([^,)\n]+)/g;
const V_RUNTIME_FILE = /\$(?:fopen|fread|fscanf|writememh|writememb|dumpfile)\s*\(\s*("[^"\n]*")/g;
// A string handed to a parameter of an instance (`.INIT_FILE("/etc/passwd")`, defparam) may reach a $readmemh below.
const V_PARAM_STRING = re2(/(?:\.\s*[A-Za-z_]\w*\s*\(\s*|\bdefparam\b[^=;]*=\s*)("[^"\n]*")/g);
// .incbin in assembly, and inside C inline-asm strings (escaped quotes).
const INCBIN = /\.incbin\s+(\\?"[^"\n\\]+\\?"|[^\s,;]+)/g;
const C_DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?[ \t]*([^\n]*)/gm;
const V_DEFINE = /`define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?[ \t]*([^\n]*)/g;
const V_PARAM = re2(/\b(?:parameter|localparam)\b[^;=]*?\b([A-Za-z_]\w*)\s*=\s*("[^"\n]*")/g);

export interface UnsafeDirective {
  /** The directive as written (bounded). */
  directive: string;
  /** absolute | escapes (climbs above the repository) | unresolvable (built from something only the tool can expand). */
  reason: 'absolute' | 'escapes' | 'unresolvable';
}

/** Object-like macros and string parameters of a text: name → body (function-like macros map to null). */
function collectMacros(text: string): Map<string, string | null> {
  const macros = new Map<string, string | null>();
  for (const re of [C_DEFINE, V_DEFINE]) for (const m of text.matchAll(re)) macros.set(m[1]!, m[2] ? null : m[3]!.replace(re2(/\/\/.*$/), '').trim());
  for (const m of text.matchAll(V_PARAM)) if (!macros.has(m[1]!)) macros.set(m[1]!, m[2]!);
  return macros;
}

/** Expands an argument to a quoted or bracketed literal through object-like macros; null when it cannot. */
function expand(arg: string, macros: Map<string, string | null>): string | null {
  let cur = arg.trim();
  for (let i = 0; i < 16; i++) {
    const lit = /^(\\?"([^"\\]*)\\?"|<([^>]*)>)/.exec(cur);
    if (lit) return lit[2] ?? lit[3] ?? '';
    const name = /^`?([A-Za-z_]\w*)\s*$/.exec(cur.replace(re2(/\/\/.*$/), '').replace(re2(/\/\*.*?\*\//g), '').trim());
    if (!name) return null;
    const body = macros.get(name[1]!);
    if (body === undefined || body === null) return null;
    cur = body;
  }
  return null;
}

/** The first directive that reads outside the repository, or null when all stay inside. */
export function findUnsafeDirective(path: string, text: string): UnsafeDirective | null {
  const depth = path.split('/').length - 1;
  const macros = collectMacros(text);
  const check = (whole: string, arg: string): UnsafeDirective | null => {
    const target = expand(arg, macros);
    const directive = whole.trim().slice(0, 120);
    if (target === null) return { directive, reason: 'unresolvable' };
    if (isAbsolute(target)) return { directive, reason: 'absolute' };
    return escapes(target, depth) ? { directive, reason: 'escapes' } : null;
  };
  const hdl = /\.(?:v|sv|vh|svh|vlib)$/i.test(path);
  const scans: Array<[RegExp, number, boolean]> = hdl
    ? [[V_INCLUDE, 1, false], [V_READMEM, 1, false], [V_RUNTIME_FILE, 1, true], [V_PARAM_STRING, 1, true]]
    : [[C_DIRECTIVE, 2, false], [INCBIN, 1, false]];
  let unresolvable: UnsafeDirective | null = null;
  for (const [re, group, literalOnly] of scans) {
    for (const m of text.matchAll(re)) {
      const r = check(m[0], m[group]!);
      if (!r || (literalOnly && r.reason === 'unresolvable')) continue;
      // A definite escape outranks one the tool would have to expand.
      if (r.reason !== 'unresolvable') return r;
      unresolvable ??= r;
    }
  }
  return unresolvable;
}

/**
 * What the verify stage refuses: absolute and escaping paths always; paths
 * only the tool could expand only when the sandbox shows the host (the weaker
 * levels) — under bubblewrap the host is invisible and gcc/iverilog report
 * what they opened.
 */
export function findUnsafeInclude(path: string, text: string, hostVisible = true): string | null {
  const d = findUnsafeDirective(path, text);
  if (!d || (d.reason === 'unresolvable' && !hostVisible)) return null;
  return d.directive;
}

function isAbsolute(target: string): boolean {
  return target.startsWith('/') || target.startsWith('~') || target.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(target);
}

/** True for more `..` than the file is deep (relative to its own directory). */
function escapes(target: string, depth: number): boolean {
  let level = depth;
  for (const seg of target.split(/[\\/]/)) {
    if (seg === '..') level--;
    else if (seg !== '.' && seg !== '') level++;
    if (level < 0) return true;
  }
  return false;
}
