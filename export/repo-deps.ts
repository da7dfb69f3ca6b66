import { posix } from 'node:path';
import { re2 } from '../annotate/linear-regex.js';

/** A file of one repository, as dependency ordering sees it. */
export interface RepoFile {
  path: string;
  lang: string;
  text: string;
}

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm;
const VERILOG_INCLUDE = /^[ \t]*`include[ \t]*"([^"\n]+)"/gm;
const MODULE_DEF = re2(/^[ \t]*(?:module|macromodule|interface|package|program)\s+(?:automatic\s+|static\s+)?([A-Za-z_][\w$]*)/gm);
// `name #(...) inst (` or `name inst (`: an instantiation (or a typed port/decl — a harmless extra edge).
const MODULE_USE = re2(/\b([A-Za-z_][\w$]*)\s+(?:#|[A-Za-z_][\w$]*\s*\()/g);
const PACKAGE_IMPORT = /\bimport\s+([A-Za-z_][\w$]*)::/g;
const PY_IMPORT = re2(/^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([\w.]+))/gm);

const HDL = new Set(['verilog', 'systemverilog']);

/** What ordering needs of one file: its path and language, and the names it defines and refers to (texts not kept). */
export interface FileDeps {
  path: string;
  lang: string;
  /** HDL module/interface/package names defined in the file. */
  defines: string[];
  /** Include targets as written (C `#include "…"`, Verilog `` `include "…"``). */
  includes: string[];
  /** HDL names used: instantiations and package imports. */
  uses: string[];
  /** Python modules, as candidates (`from pkg import mod` names `pkg` and `pkg.mod`). */
  imports: string[];
}

/** The dependency facts of one file, found with regular expressions (cheap; a wrong guess only changes the order). */
export function extractDeps(f: RepoFile): FileDeps {
  const out: FileDeps = { path: f.path, lang: f.lang, defines: [], includes: [], uses: [], imports: [] };
  if (HDL.has(f.lang)) {
    for (const m of f.text.matchAll(MODULE_DEF)) out.defines.push(m[1]!);
    for (const m of f.text.matchAll(VERILOG_INCLUDE)) out.includes.push(m[1]!);
    for (const m of f.text.matchAll(MODULE_USE)) out.uses.push(m[1]!);
    for (const m of f.text.matchAll(PACKAGE_IMPORT)) out.uses.push(m[1]!);
  } else if (f.lang === 'python') {
    for (const m of f.text.matchAll(PY_IMPORT)) {
      const mod = m[1] ?? m[3]!;
      out.imports.push(mod);
      // `from pkg import mod` names a module as often as an attribute.
      for (const name of (m[2] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) out.imports.push(mod.endsWith('.') ? mod + name : `${mod}.${name}`);
    }
  } else {
    for (const m of f.text.matchAll(INCLUDE)) out.includes.push(m[1]!);
  }
  out.uses = [...new Set(out.uses)];
  return out;
}

/**
 * Orders a repository's files so that what a file depends on comes first —
 * C/C++/CUDA `#include "…"`, Verilog `` `include``, module instantiations and
 * package imports, Python imports — then by path (StarCoder2 and
 * Qwen2.5-Coder lay repository samples out in dependency order so a model sees
 * definitions before uses). Cycles are broken at the smallest path still
 * waiting. Linear in the files and references (Kahn's algorithm with a
 * ready heap; path and suffix maps built once), so a Linux-sized repository
 * orders in well under a second.
 * @returns indices into `files`, which must be sorted by path.
 */
export function orderByDependencies(files: readonly RepoFile[]): number[] {
  return orderFiles(files.map(extractDeps));
}

/** orderByDependencies over extracted facts (the streaming export reads each text once for them). */
export function orderFiles(files: readonly FileDeps[]): number[] {
  const deps = resolveDependencies(files);
  const waitingOn = deps.map((d) => d.size);
  const users: number[][] = files.map(() => []);
  deps.forEach((d, user) => d.forEach((dep) => users[dep]!.push(user)));
  const done = new Uint8Array(files.length);
  const ready = new MinHeap();
  waitingOn.forEach((n, i) => n === 0 && ready.push(i));
  const order: number[] = [];
  let undone = 0;
  while (order.length < files.length) {
    let next = ready.pop();
    while (next !== undefined && done[next]) next = ready.pop();
    if (next === undefined) {
      // A cycle: take the smallest path still waiting.
      while (done[undone]) undone++;
      next = undone;
    }
    done[next] = 1;
    order.push(next);
    for (const u of users[next]!) if (--waitingOn[u]! === 0 && !done[u]) ready.push(u);
  }
  return order;
}

/** For each file, the indices of the files it depends on (never itself). */
export function findDependencies(files: readonly RepoFile[]): Set<number>[] {
  return resolveDependencies(files.map(extractDeps));
}

function resolveDependencies(files: readonly FileDeps[]): Set<number>[] {
  const paths = createPathIndex(files.map((f) => f.path));
  const moduleFile = new Map<string, number>();
  files.forEach((f, i) => {
    for (const name of f.defines) if (!moduleFile.has(name)) moduleFile.set(name, i);
  });
  return files.map((f, i) => {
    const found = new Set<number>();
    const add = (j: number | undefined): void => void (j !== undefined && j !== i && found.add(j));
    const dir = posix.dirname(f.path);
    for (const target of f.includes) add(paths.resolveInclude(target, dir));
    for (const name of f.uses) add(moduleFile.get(name));
    for (const mod of f.imports) add(resolvePython(mod, dir, paths.byPath));
    return found;
  });
}

/** Paths of one repository, with every `/`-suffix indexed once (first path in order wins), for include resolution. */
function createPathIndex(paths: readonly string[]) {
  const byPath = new Map<string, number>();
  const bySuffix = new Map<string, number>();
  paths.forEach((p, i) => {
    if (!byPath.has(p)) byPath.set(p, i);
    for (let k = p.indexOf('/'); k >= 0; k = p.indexOf('/', k + 1)) {
      const suffix = p.slice(k + 1);
      if (!bySuffix.has(suffix)) bySuffix.set(suffix, i);
    }
  });
  return {
    byPath,
    /** An include relative to the including file, else to the repository root, else any file ending in it. */
    resolveInclude(target: string, dir: string): number | undefined {
      const local = byPath.get(posix.normalize(posix.join(dir, target)));
      if (local !== undefined) return local;
      const normalized = posix.normalize(target);
      const root = byPath.get(normalized);
      if (root !== undefined) return root;
      return bySuffix.get(normalized.replace(/^(\.\.\/)+/, ''));
    },
  };
}

/** `a.b` → a/b.py or a/b/__init__.py, from the root or (for `.x`) the file's package. */
function resolvePython(mod: string, dir: string, byPath: Map<string, number>): number | undefined {
  const dots = /^\.*/.exec(mod)![0].length;
  let base = dots === 0 ? '' : dir;
  for (let k = 1; k < dots; k++) base = posix.dirname(base);
  const rel = mod.slice(dots).split('.').filter(Boolean).join('/');
  const stem = posix.normalize(posix.join(base === '.' ? '' : base, rel || '__init__'));
  for (const p of [`${stem}.py`, `${stem}/__init__.py`, posix.join(dir, `${rel}.py`)]) {
    const i = byPath.get(p.replace(/^\.\//, ''));
    if (i !== undefined) return i;
  }
  return undefined;
}

/** A binary min-heap of indices: the ready file with the smallest path first. */
class MinHeap {
  private items: number[] = [];

  push(x: number): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      a[p] = x;
      i = p;
    }
  }

  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
