import { posix } from 'node:path';
import { sha256Hex } from '../../corpus/doc-id.js';
import type { CheckSpec } from './check-specs.js';
import type { ToolName } from './toolchains.js';

/**
 * The refinement proofs as sandboxed /bin/sh scripts. Each runs in a work dir
 * holding the text before the refinement under `a/<path>` and the text after
 * it under `b/<path>` — the same relative path, so nothing a tool derives from
 * the file name (`__FILE__`, yosys's `$add$<file>:<line>$N` names) can differ —
 * plus identical copies of the context files in both trees. A script prints
 * one verdict marker (read by run-check from the raw output) and its facts as
 * `Warning: proof: <fact>` lines, the only non-diagnostic shape the log
 * sanitizer keeps. It never prints source text: the `a` side of a redaction
 * proof is the crawled text with the personal data still in it.
 */

/** What a recipe is given: the relative path (same in a/ and b/), context files and include dirs. */
export interface RecipeInput {
  path: string;
  deps: readonly string[];
  includeDirs: readonly string[];
  /** Seconds one tool run inside the script may take (coreutils `timeout`). */
  stepSeconds: number;
}

export const SAME = 'INCORPUS-EQUIV-IDENTICAL';
export const DIFF = 'INCORPUS-EQUIV-MISMATCH';

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const PRELUDE = [
  'set -f',
  'T="$1"',
  `say() { echo "Warning: proof: $*"; }`,
  // Whitespace-insensitive token stream of a preprocessed file.
  `squeeze() { tr '\\t\\n\\r\\f\\v' '     ' <"$1" | tr -s ' '; }`,
  // The first diagnostics of the refined side only (the other side may hold redacted data).
  `diag() { grep -m 3 -h -E 'error|Error|ERROR' "$@" 2>/dev/null; }`,
  `same() { if cmp -s "$1" "$2"; then echo same; else echo differs; fi; }`,
  // Runs a step on both sides; says which side failed (a text that compiles only after refinement is a change too).
  // A timeout (124) on one side is load, not a difference.
  `onesided=0`,
  `both() { "$1" a; ra=$?; "$1" b; rb=$?; [ $ra = 0 ] && [ $rb = 0 ] && return 0; if [ $ra = 124 ] || [ $rb = 124 ]; then say "$1 timeout"; return 1; fi; [ $rb = 0 ] && say "$1 fails only before the refinement" && onesided=1; [ $ra = 0 ] && say "$1 fails only after the refinement" && onesided=1; return 1; }`,
].join('\n');

/**
 * Verilog/SystemVerilog. The simulation-visible text: verilator's preprocessor
 * (comments stripped, macros and `__LINE__` expanded), compared as a
 * whitespace-insensitive token stream. The design: yosys elaborates both
 * (`proc; opt_clean`), `src` attributes and the line numbers in auto-generated
 * names dropped, compared as RTLIL; where the RTLIL differs, the differing
 * modules are checked with `equiv_make; equiv_simple; equiv_induct` (Yosys
 * manual, "equiv_*"). Identical: the design is proven equal and the text is
 * too (yosys ignores `$display` strings and delays — a simulator does not);
 * where yosys cannot read the file (or its path is unsafe in a yosys
 * script), equal token streams alone. For a header
 * (`.vh`, `.svh`) the token stream ends with its macro definitions.
 */
export function verilogRecipe(r: RecipeInput, header: boolean, yosys: boolean): string {
  // iverilog looks beside the including file first; verilator and yosys only where told.
  const here = posix.dirname(r.path);
  const dirs = [...(here === '.' ? [] : [here]), ...r.includeDirs];
  const inc = dirs.map((d) => `-I${d}`).join(' ');
  const files = [...r.deps, r.path].join(' ');
  const yosysScript = `read_verilog -sv ${inc} ${files}; hierarchy; proc; opt_clean; write_rtlil ../$1.raw`;
  // The target's own modules first, its dependencies left as unknown cells: the deps are byte-identical on both
  // sides and yosys elaborates module by module, so equal RTLIL here is equal RTLIL with them. Reading a SoC top's
  // whole closure twice costs minutes (a 37-file FPGA top: > 100 s); the target alone, well under a second.
  const targetScript = `read_verilog -sv ${inc} ${r.path}; hierarchy; proc; opt_clean; write_rtlil ../$1.raw`;
  return [
    PRELUDE,
    'Y="$TOOL"',
    `tok=fail`,
    // A header's meaning is its macros: --dump-defines lists them after the text.
    `vpp() { timeout ${r.stepSeconds} verilator -E "$@" ${dirs.map((d) => q(`-I${d}`)).join(' ')} "$T"; }`,
    `pp() { (cd "$1" && vpp -P >../$1.pp 2>../$1.pp.log ${header ? '&& vpp --dump-defines >>../$1.pp 2>>../$1.pp.log' : ''}) && squeeze $1.pp >$1.tok; }`,
    `if command -v verilator >/dev/null; then both pp && tok=$(same a.tok b.tok); fi`,
    `canon() { sed -E -e '/^ *attribute \\\\src /d' -e 's/(\\.[A-Za-z]+):[0-9]+\\$/\\1:L$/g' "$1"; }`,
    // Paths yosys's script parser would misread (quotes, spaces, `;`) never reach a script: the token stream decides.
    yosys ? `ys() { (cd "$1" && timeout ${r.stepSeconds} "$Y" -q -p "${yosysScript}" >../$1.ys.log 2>&1); }` : `ys() { say "ys path unsafe for a yosys script"; return 1; }`,
    `des=fail; method=preprocessed; mods=`,
    // Only "same" is taken from the target alone (it fails alone when it needs a dependency's macro, package or
    // interface; a difference is then judged with the whole closure, where equiv can see the real cells).
    ...(yosys && r.deps.length > 0
      ? [`yt() { (cd "$1" && timeout ${r.stepSeconds} "$Y" -q -p "${targetScript}" >../$1.ys.log 2>&1); }`,
        `if yt a && yt b; then canon a.raw >a.il; canon b.raw >b.il; [ "$(same a.il b.il)" = same ] && des=same && method=rtlil && say "scope target"; fi`]
      : []),
    `if [ $des = fail ] && both ys; then canon a.raw >a.il; canon b.raw >b.il; method=rtlil; des=$(same a.il b.il); fi`,
    // Attribute lines before a module belong to it; a module only one side has differs.
    `if [ $des = differs ]; then`,
    `  mods=$(awk 'FNR==1{f++; m=""; p=""} /^module /{m=$2; seen[m]=1; t[f,m]=p; p=""} m==""{p=p $0 "\\n"; next} {t[f,m]=t[f,m] $0 "\\n"} /^end$/{m=""} END{for(m in seen) if(t[1,m]!=t[2,m]) print m}' a.il b.il | sort)`,
    `  s="read_rtlil a.il; flatten; memory; design -stash gold; read_rtlil b.il; flatten; memory; design -stash gate"; ok=1`,
    // Module names go into a yosys script: anything but plain identifier characters could inject a command.
    `  for m in $mods; do case $m in *[!A-Za-z0-9_\\$\\\\=.]*) ok=0;; esac; s="$s; design -reset; design -copy-from gold -as gold $m; design -copy-from gate -as gate $m; equiv_make gold gate equiv; hierarchy -top equiv; equiv_simple -seq 5; equiv_induct -seq 5; equiv_status -assert"; done`,
    `  method=equiv; des=unproven`,
    `  if [ $ok = 1 ] && timeout ${r.stepSeconds} "$Y" -q -p "$s" >eq.log 2>&1; then des=equivalent; fi`,
    `fi`,
    `say "text $tok"; say "design $des"; say "method $method"`,
    `[ -n "$mods" ] && say "modules $(echo $mods | cut -c1-160)"`,
    `[ $des = fail ] && [ $tok != same ] && diag b.ys.log b.pp.log`,
    `[ $onesided = 1 ] && echo ${DIFF} && exit 0`,
    `case $des:$tok in same:differs|equivalent:differs|differs:*|unproven:*|fail:differs) echo ${DIFF};; same:*|equivalent:*|fail:same) echo ${SAME};; esac`,
    `exit 0`,
  ].join('\n');
}

/** Compiler-family command line of a C/C++ recipe. */
export interface CRecipeFlags {
  /** Language and standard flags (`-xc -std=gnu17`, `-mcpu=cortex-m4 -mthumb …`). */
  flags: readonly string[];
  /** Headers: the proof is the preprocessed text with macro definitions (`-dD`); there is no code to compile. */
  header: boolean;
}

/**
 * C/C++: the assembly gcc emits for each side (`-S -O0`: every function and
 * object the file defines, with its section, data and the symbols it refers
 * to — a call retargeted from f to g moves no `.text` byte, only a relocation,
 * but it changes the assembly). Same relative path, `-ffile-prefix-map`,
 * `SOURCE_DATE_EPOCH` and equal mtimes make `__FILE__`, `__DATE__` and
 * `__TIMESTAMP__` equal; the line markers gcc puts before inline asm are
 * dropped. A mismatch names the section of the first difference.
 * Where gcc cannot emit code (inline asm for another machine, a header), the
 * preprocessed token streams decide.
 */
export function cRecipe(r: RecipeInput, c: CRecipeFlags): string {
  const flags = c.flags.map(q).join(' ');
  const inc = r.includeDirs.map((d) => `-I ${q(d)}`).join(' ');
  const common = `${flags} -w -fno-diagnostics-show-caret ${inc} -ffile-prefix-map="$PWD"=. "$T"`;
  return [
    PRELUDE,
    'CC="$TOOL"',
    'export SOURCE_DATE_EPOCH=0',
    `touch -d @0 "a/$T" "b/$T"`,
    `asm=fail; tok=fail; method=preprocessed`,
    // gcc marks each inline asm block with its source line (`# 37 "irq.c" 1`): a comment to the assembler, dropped.
    `cc() { (cd "$1" && timeout ${r.stepSeconds} "$CC" ${common} -S -O0 -frandom-seed=incorpus -o ../$1.raw.s >../$1.cc.log 2>&1) && sed -E '/^# [0-9]+ "/d' $1.raw.s >$1.s; }`,
    `pp() { (cd "$1" && timeout ${r.stepSeconds} "$CC" ${common} -E -P ${c.header ? '-dD' : ''} -o ../$1.i >../$1.pp.log 2>&1) && squeeze $1.i >$1.tok; }`,
    c.header ? ':' : `if both cc; then method=assembly; asm=$(same a.s b.s); fi`,
    `if [ $asm = differs ]; then`,
    `  n=$(cmp a.s b.s | sed -n 's/.* line \\([0-9]*\\).*/\\1/p')`,
    `  sec=$(head -n "$n" a.s | grep -E '^[[:space:]]*\\.(text|data|bss|section|rodata)' | tail -1 | awk '{print $1 == ".section" ? $2 : $1}' | sed 's/,.*//')`,
    `  say "where from line $n, in section \${sec:-(file header)}"`,
    `fi`,
    `if [ $asm = fail ] && both pp; then tok=$(same a.tok b.tok); fi`,
    `say "assembly $asm"; say "text $tok"; say "method $method"`,
    `[ $asm = fail ] && [ $tok = fail ] && diag b.cc.log b.pp.log`,
    `[ $onesided = 1 ] && echo ${DIFF} && exit 0`,
    `case $asm:$tok in same:*|fail:same) echo ${SAME};; differs:*|fail:differs) echo ${DIFF};; esac`,
    `exit 0`,
  ].join('\n');
}

/** Python: the syntax trees without positions (`ast.dump`); comments and layout are not in them, docstrings are. Parsed, never run. */
export function pythonRecipe(): string {
  const py = `import ast, sys\nd = [ast.dump(ast.parse(open(p, "rb").read())) for p in sys.argv[1:]]\nprint("${SAME}" if d[0] == d[1] else "${DIFF}")`;
  return [PRELUDE, `"$TOOL" -I -S -B -c ${q(py)} "a/$T" "b/$T" 2>b.py.log || diag b.py.log`, 'say "method ast"', 'exit 0'].join('\n');
}

/** A CheckSpec running one recipe script; `$TOOL` is the tool's path, `$1` the target's path relative to a/ and b/. */
export function recipeSpec(tool: ToolName, flags: readonly string[], script: string, path: string): CheckSpec {
  return {
    kind: 'equiv',
    tool,
    // The script itself is part of the cache key: editing a recipe retires its cached verdicts.
    flags: [`refinement-proof:${sha256Hex(Buffer.from(script)).slice(0, 16)}`, ...flags],
    context: 'none',
    viaShell: true,
    // run-check runs `/bin/sh -c <script> sh <tool path>`: the tool arrives as $1.
    args: () => [`TOOL="$1"; set -- ${q(path)}\n${script}`],
  };
}
