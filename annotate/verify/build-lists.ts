import { posix } from 'node:path';
import { re2 } from '../linear-regex.js';

/**
 * What one build file says about compiling some sources: their order, include
 * dirs and macro definitions. Paths are as written, relative to `dir`
 * (repo-index resolves them against the repository, nearest ancestor first).
 */
export interface BuildList {
  /** The build file (repo path) and what in it produced the list (a variable, rule or target). */
  from: string;
  dir: string;
  sources: string[];
  includeDirs: string[];
  defines: string[];
  /** Macros whose value only the build computes (`-DIMAGE_SIZE=$(shell wc -c < ../Image)`): never passed, named when the check needs them. */
  buildValues?: string[];
}

/** Facts a repository's build files give, beyond file lists. */
export interface BuildOutputs {
  /** Basenames of files a build step writes (Makefile rule targets, scripts writing a file). */
  files: string[];
  /** Makefiles this one `include`s (repository paths): fragments, read in the includer's context. */
  included?: string[];
}

// Stands for the output of a `$(shell …)` we never run: a -D whose value holds it is a build-time value.
const BUILD_VALUE = '\u0001';

/** Moves the -D values a build step computes out of `l.defines` into `l.buildValues`; drops other words that hold one. */
function settleBuildValues(l: BuildList): void {
  const values = l.defines.filter((d) => d.includes(BUILD_VALUE)).map((d) => d.split('=')[0]!);
  l.defines = l.defines.filter((d) => !d.includes(BUILD_VALUE));
  l.includeDirs = l.includeDirs.filter((d) => !d.includes(BUILD_VALUE));
  l.sources = l.sources.filter((s) => !s.includes(BUILD_VALUE));
  if (values.length > 0) l.buildValues = [...new Set(values)];
}

const HDL_OR_C = /\.(?:v|sv|vh|svh|c|cc|cpp|cxx|cu|s|S)$/;
const SOURCE_VAR = /^(?:VERILOG_SOURCES|SYSTEMVERILOG_SOURCES|SYN_FILES|SIM_FILES|SRCS?|SOURCES|C_SOURCES|CXX_SOURCES|ASM_SOURCES|VERILOG_FILES|V_FILES|SV_FILES|RTL_FILES|RTL|TB_FILES|\w+_SRCS?|\w+_SOURCES|\w+_FILES|VERILOG_SRC|SRC_FILES)$/;
const TOOL_CMD = /\b(?:iverilog|verilator|yosys|vcs|xrun|vlog|vsim|gcc|g\+\+|clang|\$\(CC\)|arm-none-eabi-gcc|nvcc)\b/;

/** -I / +incdir+ / -D / +define+ tokens of a command line or flags variable. */
function flagTokens(tokens: readonly string[], dirs: string[], defs: string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '-I' && tokens[i + 1]) dirs.push(tokens[++i]!);
    else if (t.startsWith('-I') && t.length > 2) dirs.push(t.slice(2));
    else if (t.startsWith('+incdir+')) dirs.push(...t.slice(8).split('+').filter(Boolean));
    else if (t === '-D' && tokens[i + 1]) defs.push(tokens[++i]!);
    else if (/^-D[A-Za-z_]/.test(t)) defs.push(t.slice(2));
    else if (t.startsWith('+define+')) defs.push(...t.slice(8).split('+').filter(Boolean));
  }
}

const unquote = (s: string): string => s.replace(/^["']|["']$/g, '');
const words = (s: string): string[] => s.trim().split(/\s+/).filter(Boolean).map(unquote);

/** A shell arithmetic expansion of integers (`$$((1024*1024*32))` in a recipe's -D): its value, or null. */
export function shellArithmetic(expr: string): number | null {
  const tokens = expr.match(/\d+|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const atom = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      if (tokens[i++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (t === '-') return -atom();
    if (t !== undefined && /^\d+$/.test(t)) return Number(t);
    throw new Error(`unexpected ${t}`);
  };
  const product = (): number => {
    let v = atom();
    while (tokens[i] === '*' || tokens[i] === '/') v = tokens[i++] === '*' ? v * atom() : Math.trunc(v / atom());
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  try {
    const v = sum();
    return i === tokens.length && Number.isSafeInteger(v) ? v : null;
  } catch {
    return null;
  }
}

/** A Makefile's lines with `include`d files spliced in (their paths, like make's, relative to the including Makefile's dir). */
function spliceIncludes(dir: string, text: string, read: ((p: string) => string | null) | undefined, depth: number, included: string[]): string[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  if (!read || depth > 4) return lines;
  return lines.flatMap((line) => {
    const inc = re2(/^\s*(?:-|s)?include\s+(.+)$/).exec(line);
    if (!inc) return [line];
    return words(inc[1]!).filter((w) => !w.includes('$')).flatMap((w) => {
      const p = posix.normalize(posix.join(dir, w));
      const body = read(p);
      if (body !== null) included.push(p);
      return body === null ? [] : spliceIncludes(dir, body, read, depth + 1, included);
    });
  });
}

/**
 * A Makefile (or *.mk): source variables (VERILOG_SOURCES, SYN_FILES, SRCS,
 * *_FILES …) with simple `$(VAR)` expansion, -I/-D flags in any variable,
 * rules whose prerequisites are sources (`tb.vvp: tb.v ../../core.v gen.v`),
 * and tool command lines in recipes. Rule targets are generated files.
 * `include`d makefiles are read in place (kianRiscV's board Makefiles set the
 * board's -D flags and take their sources from `include ../sources.mk`).
 */
export function parseMakefile(path: string, text: string, read?: (p: string) => string | null): { lists: BuildList[]; outputs: BuildOutputs } {
  const dir = posix.dirname(path);
  const vars = new Map<string, string>();
  const expand = (s: string, depth = 0): string =>
    depth > 6 ? s : s.replace(re2(/\$\$\(\(([\d\s+\-*\/()]+)\)\)/g), (all, e: string) => String(shellArithmetic(e) ?? all)).replace(/\$[({]([A-Za-z_][\w]*)[)}]/g, (_, v: string) => expand(vars.get(v) ?? '', depth + 1)).replace(re2(/\$\(shell\b[^)]*\)/g), BUILD_VALUE).replace(re2(/\$\((?:patsubst|foreach|if|filter|filter-out|subst|addprefix|wildcard)\b[^)]*\)/g), '');
  const lists: BuildList[] = [];
  const files: string[] = [];
  const dirs: string[] = [];
  const defs: string[] = [];
  // -D of one recipe belong to that recipe (and its rule): `-DHX8KDEMO` in one firmware rule and `-DICEBREAKER`
  // in the next are alternatives, never both (picorv32's picosoc: both at once redefine every board function).
  const own = new Map<BuildList, string[]>();
  let ruleList: BuildList | null = null;
  const included: string[] = [];
  const lines = spliceIncludes(dir, text, read, 0, included);
  for (const line of lines) {
    const assign = re2(/^\s*(?:export\s+|override\s+)?([A-Za-z_][\w]*)\s*(\+=|:=|\?=|::=|=)\s*(.*)$/).exec(line);
    if (assign && !line.startsWith('\t')) {
      const [, name, op, value] = assign as unknown as [string, string, string, string];
      const v = expand(value.replace(re2(/\s#.*$/), ''));
      vars.set(name, op === '+=' ? `${vars.get(name) ?? ''} ${v}` : op === '?=' && vars.has(name) ? vars.get(name)! : v);
      ruleList = null;
      continue;
    }
    if (line.startsWith('\t')) {
      if (!TOOL_CMD.test(line)) continue;
      const tokens = words(expand(line));
      const mine: string[] = [];
      flagTokens(tokens, dirs, mine);
      defs.push(...mine);
      if (ruleList) own.get(ruleList)!.push(...mine);
      const srcs = tokens.filter((t) => HDL_OR_C.test(t) && !t.startsWith('-'));
      if (srcs.length > 0) {
        const l: BuildList = { from: `${path} (recipe)`, dir, sources: srcs, includeDirs: [], defines: [] };
        lists.push(l);
        own.set(l, mine);
      }
      continue;
    }
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) ruleList = null;
    // A rule `targets: prereqs` — the first colon, not `:=` or `::=` (RE2 has no lookahead, so checked after).
    const rule = re2(/^([^\s:=#][^:=#]*?)\s*:([^;#]*)/).exec(line);
    if (rule && !/^[=:]/.test(rule[2]!)) {
      rule[2] = rule[2]!.trimStart();
      const targets = words(expand(rule[1]!));
      for (const t of targets) if (/\.\w+$/.test(t) && !t.includes('%') && !t.startsWith('.')) files.push(posix.basename(t));
      const prereqs = words(expand(rule[2]!)).filter((t) => HDL_OR_C.test(t));
      if (prereqs.length > 1) {
        ruleList = { from: `${path} (rule ${targets[0] ?? ''})`, dir, sources: prereqs, includeDirs: [], defines: [] };
        lists.push(ruleList);
        own.set(ruleList, []);
      }
    }
  }
  const varDefs: string[] = [];
  for (const [name, value] of vars) {
    flagTokens(words(value), dirs, varDefs);
    if (SOURCE_VAR.test(name)) {
      const srcs = words(value).filter((t) => HDL_OR_C.test(t));
      if (srcs.length > 0) lists.push({ from: `${path} (${name})`, dir, sources: srcs, includeDirs: [], defines: [] });
    }
  }
  // Flags variables (CFLAGS, …) apply to every list; a recipe's or rule's own -D only to it; a source variable
  // (SYN_FILES, …) is used by recipes we cannot tie it to, so it gets them all.
  for (const l of lists) {
    l.includeDirs = [...new Set(dirs)];
    l.defines = [...new Set([...varDefs, ...(own.get(l) ?? defs)])];
    settleBuildValues(l);
  }
  return { lists, outputs: { files: files.filter((f) => !f.includes(BUILD_VALUE)), ...(included.length ? { included } : {}) } };
}

/** A `.f` / `.vc` file list: sources, +incdir+, -I, +define+, -D, -v/-y libraries, nested -f. */
export function parseFileList(path: string, text: string, read: (p: string) => string | null, depth = 0): BuildList {
  const dir = posix.dirname(path);
  const list: BuildList = { from: path, dir, sources: [], includeDirs: [], defines: [] };
  const tokens = text.split('\n').map((l) => l.replace(re2(/(?:\/\/|#).*$/), '')).flatMap(words);
  flagTokens(tokens, list.includeDirs, list.defines);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t === '-f' || t === '-F') && tokens[i + 1] && depth < 4) {
      const nested = posix.normalize(posix.join(dir, tokens[++i]!));
      const body = read(nested);
      if (body !== null) {
        const sub = parseFileList(nested, body, read, depth + 1);
        list.sources.push(...sub.sources.map((s) => posix.relative(dir, posix.join(sub.dir, s))));
        list.includeDirs.push(...sub.includeDirs.map((s) => posix.relative(dir, posix.join(sub.dir, s))));
        list.defines.push(...sub.defines);
      }
    } else if (t === '-v' && tokens[i + 1]) list.sources.push(tokens[++i]!);
    else if (t === '-I' || t === '-D' || t === '-y') i++;
    else if (!t.startsWith('-') && !t.startsWith('+') && HDL_OR_C.test(t)) list.sources.push(t);
  }
  return list;
}

/** CMake: include_directories / target_include_directories, compile definitions, add_executable/add_library sources. */
export function parseCMake(path: string, text: string): BuildList[] {
  const dir = posix.dirname(path);
  const vars = new Map<string, string>([['CMAKE_CURRENT_SOURCE_DIR', '.'], ['CMAKE_CURRENT_LIST_DIR', '.'], ['PROJECT_SOURCE_DIR', '.'], ['CMAKE_SOURCE_DIR', '.']]);
  const clean = text.replace(/#[^\n]*/g, '');
  const expand = (s: string): string => s.replace(/\$\{(\w+)\}/g, (_, v: string) => vars.get(v) ?? '');
  const list: BuildList = { from: path, dir, sources: [], includeDirs: [], defines: [] };
  const KEYWORD = /^(?:PRIVATE|PUBLIC|INTERFACE|SYSTEM|BEFORE|AFTER|STATIC|SHARED|OBJECT|MODULE|EXCLUDE_FROM_ALL|WIN32|MACOSX_BUNDLE)$/;
  for (const m of clean.matchAll(re2(/\b(set|include_directories|target_include_directories|add_definitions|add_compile_definitions|target_compile_definitions|add_executable|add_library|target_sources)\s*\(([^)]*)\)/gi))) {
    const cmd = m[1]!.toLowerCase();
    const args = words(expand(m[2]!)).filter((a) => !KEYWORD.test(a));
    if (cmd === 'set' && args.length >= 1) vars.set(args[0]!, args.slice(1).join(' '));
    else if (cmd === 'include_directories') list.includeDirs.push(...args);
    else if (cmd === 'target_include_directories') list.includeDirs.push(...args.slice(1));
    else if (cmd === 'add_definitions') flagTokens(args, list.includeDirs, list.defines);
    else if (cmd === 'add_compile_definitions') list.defines.push(...args);
    else if (cmd === 'target_compile_definitions') list.defines.push(...args.slice(1).map((d) => d.replace(/^-D/, '')));
    else list.sources.push(...args.slice(1).filter((a) => HDL_OR_C.test(a)));
  }
  list.includeDirs = list.includeDirs.map((d) => d.replace(/^\.\//, '') || '.');
  return list.sources.length + list.includeDirs.length + list.defines.length > 0 ? [list] : [];
}
