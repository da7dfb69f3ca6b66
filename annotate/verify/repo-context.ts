import { posix } from 'node:path';
import type { Db } from '../../corpus/db.js';
import { listRepoFiles, readRepoFileText } from '../../corpus/repo-files.js';
import { contextExtensions, type CheckSpec } from './check-specs.js';
import { re2 } from '../linear-regex.js';

/** One indexed repository file: what it defines and what it includes. */
interface IndexedFile {
  path: string;
  sha256: string;
  text: string;
  /** Modules, interfaces, packages, programs it defines (HDL only). */
  defines: string[];
  /** Include directives as written. */
  includes: string[];
}

/** The files a check needs besides the target, and the include dirs to pass. */
export interface RepoContext {
  /** Dependency files, packages first (SystemVerilog needs them before use). */
  deps: Array<{ path: string; sha256: string; text: string }>;
  /** Extra files only reachable through include dirs. */
  headers: Array<{ path: string; sha256: string; text: string }>;
  includeDirs: string[];
}

const stripComments = (t: string): string => t.replace(re2(/\/\*[\s\S]*?\*\//g), ' ').replace(/\/\/[^\n]*/g, ' ');
const HDL_DEF = re2(/^\s*(?:module|macromodule|interface|package|program)\s+(?:automatic\s+|static\s+)?([A-Za-z_]\w*)/gm);
const INCLUDE = re2(/^\s*(?:`include|#\s*include)\s*["<]([^">]+)[">]/gm);

/** Per-repository index, built lazily once per rebuild (repo + context kind). */
export function createRepoIndexer(db: Db): (repo: string, context: CheckSpec['context']) => IndexedFile[] {
  const cache = new Map<string, IndexedFile[]>();
  return (repo, context) => {
    const key = `${context}\u0000${repo}`;
    let files = cache.get(key);
    if (files) return files;
    files = [];
    for (const f of listRepoFiles(db, repo, contextExtensions(context))) {
      if (!isSafeRelative(f.path) || f.size > 2_000_000) continue;
      const text = readRepoFileText(db, f.sha256);
      if (text === null) continue;
      const clean = stripComments(text);
      const defines = context === 'hdl' ? [...clean.matchAll(HDL_DEF)].map((m) => m[1]!) : [];
      files.push({ path: f.path, sha256: f.sha256, text, defines, includes: [...clean.matchAll(INCLUDE)].map((m) => m[1]!) });
    }
    cache.set(key, files);
    return files;
  };
}

/** A repository path that stays inside the materialized tree. */
export function isSafeRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !p.split('/').includes('..');
}

/**
 * Resolves a target's repository context: (HDL) every file defining a module
 * the target — or a dependency, transitively — names, nearest directory first;
 * (C and HDL) the directories that make its include directives resolve.
 */
export function resolveContext(targetPath: string, targetText: string, files: readonly IndexedFile[], maxFiles = 200): RepoContext {
  const definers = new Map<string, IndexedFile[]>();
  for (const f of files) for (const name of f.defines) if (f.path !== targetPath) (definers.get(name) ?? definers.set(name, []).get(name)!).push(f);
  const chosen = new Map<string, IndexedFile>();
  const headers = new Map<string, IndexedFile>();
  const includeDirs = new Set<string>([posix.dirname(targetPath)]);
  const ownDefs = new Set([...stripComments(targetText).matchAll(HDL_DEF)].map((m) => m[1]!));
  const queue: Array<{ path: string; text: string }> = [{ path: targetPath, text: targetText }];
  while (queue.length > 0 && chosen.size + headers.size < maxFiles) {
    const cur = queue.shift()!;
    const clean = stripComments(cur.text);
    for (const inc of [...clean.matchAll(INCLUDE)].map((m) => m[1]!)) {
      const hit = findInclude(inc, cur.path, files);
      if (!hit || hit.path === targetPath) continue;
      includeDirs.add(includeDirFor(hit.path, inc));
      if (!headers.has(hit.path) && !chosen.has(hit.path)) {
        headers.set(hit.path, hit);
        queue.push(hit);
      }
    }
    if (definers.size === 0) continue;
    for (const word of new Set(clean.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
      const cands = definers.get(word);
      if (!cands || ownDefs.has(word)) continue;
      if (cands.some((c) => chosen.has(c.path))) continue;
      const pick = nearest(cands, targetPath);
      chosen.set(pick.path, pick);
      headers.delete(pick.path);
      queue.push(pick);
    }
  }
  const isPkg = (f: IndexedFile): boolean => re2(/^\s*package\s/m).test(f.text);
  const deps = [...chosen.values()].sort((a, b) => Number(isPkg(b)) - Number(isPkg(a)));
  return { deps, headers: [...headers.values()], includeDirs: [...includeDirs] };
}

/** The repository file an include names: relative to the includer first, then by path suffix. */
function findInclude(inc: string, from: string, files: readonly IndexedFile[]): IndexedFile | undefined {
  const rel = posix.normalize(posix.join(posix.dirname(from), inc));
  return files.find((f) => f.path === rel) ?? files.find((f) => f.path === inc || f.path.endsWith(`/${inc}`));
}

/** The -I directory under which `inc` resolves to `path`. */
function includeDirFor(path: string, inc: string): string {
  const dir = path.slice(0, path.length - inc.length).replace(/\/$/, '');
  return path.endsWith(inc) ? dir || '.' : posix.dirname(path);
}

/** The candidate closest to the target in the directory tree (shared prefix), then by path. */
function nearest(cands: IndexedFile[], target: string): IndexedFile {
  const shared = (p: string): number => {
    const a = p.split('/');
    const b = target.split('/');
    let i = 0;
    while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
    return i;
  };
  return [...cands].sort((x, y) => shared(y.path) - shared(x.path) || (x.path < y.path ? -1 : 1))[0]!;
}
