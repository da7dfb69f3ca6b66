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

/**
 * Orders a repository's files so that what a file depends on comes first —
 * C/C++/CUDA `#include "…"`, Verilog `` `include``, module instantiations and
 * package imports, Python imports — then by path (StarCoder2 and
 * Qwen2.5-Coder lay repository samples out in dependency order so a model sees
 * definitions before uses). Dependencies are found with regular expressions,
 * not a parser: cheap, and a wrong guess only changes the order. Cycles are
 * broken at the smallest path still waiting.
 * @returns indices into `files`, which must be sorted by path.
 */
export function orderByDependencies(files: readonly RepoFile[]): number[] {
  const deps = findDependencies(files);
  const waitingOn = deps.map((d) => d.size);
  const users: number[][] = files.map(() => []);
  deps.forEach((d, user) => d.forEach((dep) => users[dep]!.push(user)));
  const done = new Array<boolean>(files.length).fill(false);
  const order: number[] = [];
  // Files are few per repository; a linear scan for the next ready file keeps path order simple.
  while (order.length < files.length) {
    let next = waitingOn.findIndex((n, i) => n <= 0 && !done[i]);
    if (next === -1) next = done.indexOf(false); // a cycle: take the smallest path
    done[next] = true;
    order.push(next);
    for (const u of users[next]!) waitingOn[u]!--;
  }
  return order;
}

/** For each file, the indices of the files it depends on (never itself). */
export function findDependencies(files: readonly RepoFile[]): Set<number>[] {
  const byPath = new Map(files.map((f, i) => [f.path, i]));
  const moduleFile = new Map<string, number>();
  files.forEach((f, i) => {
    if (!HDL.has(f.lang)) return;
    for (const m of f.text.matchAll(MODULE_DEF)) if (!moduleFile.has(m[1]!)) moduleFile.set(m[1]!, i);
  });
  return files.map((f, i) => {
    const found = new Set<number>();
    const add = (j: number | undefined): void => void (j !== undefined && j !== i && found.add(j));
    const dir = posix.dirname(f.path);
    if (HDL.has(f.lang)) {
      for (const m of f.text.matchAll(VERILOG_INCLUDE)) add(resolvePath(m[1]!, dir, byPath, files));
      for (const m of f.text.matchAll(MODULE_USE)) add(moduleFile.get(m[1]!));
      for (const m of f.text.matchAll(PACKAGE_IMPORT)) add(moduleFile.get(m[1]!));
    } else if (f.lang === 'python') {
      for (const m of f.text.matchAll(PY_IMPORT)) {
        const mod = m[1] ?? m[3]!;
        add(resolvePython(mod, dir, byPath));
        // `from pkg import mod` names a module as often as an attribute.
        for (const name of (m[2] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
          add(resolvePython(mod.endsWith('.') ? mod + name : `${mod}.${name}`, dir, byPath));
        }
      }
    } else {
      for (const m of f.text.matchAll(INCLUDE)) add(resolvePath(m[1]!, dir, byPath, files));
    }
    return found;
  });
}

/** An include relative to the including file, else to the repository root, else any file ending in it. */
function resolvePath(target: string, dir: string, byPath: Map<string, number>, files: readonly RepoFile[]): number | undefined {
  const local = byPath.get(posix.normalize(posix.join(dir, target)));
  if (local !== undefined) return local;
  const root = byPath.get(posix.normalize(target));
  if (root !== undefined) return root;
  const suffix = '/' + posix.normalize(target).replace(/^(\.\.\/)+/, '');
  const i = files.findIndex((f) => f.path.endsWith(suffix));
  return i === -1 ? undefined : i;
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
