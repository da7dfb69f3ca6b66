import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { RepoFile } from '../../corpus/repo-files.js';
import { definedUnits, stripComments } from './hdl-scan.js';
import { isSafeRelative, nearestTo, scanText, type IndexedFile, type RepoIndex, type ResolvedList } from './repo-index.js';

type Ctx = { path: string; sha256: string; text: string };

/** The files a check needs besides the target, and how to pass them. */
export interface RepoContext {
  /** Dependency sources, in compile order without the target. */
  deps: Ctx[];
  /** Target + deps in compile order (the target first unless a build file orders it). */
  order: string[];
  /** Files only reachable through include dirs. */
  headers: Ctx[];
  includeDirs: string[];
  defines: string[];
  /** Macros the build list computes at build time (`$(shell …)`), left undefined. */
  buildValues: string[];
  /** The build list that gave order, include dirs and defines (`Makefile (VERILOG_SOURCES)`), when one lists the target. */
  buildList?: string;
  /** Names used but defined by a source the build list names and the repository lacks: provided by that file. */
  providedByAbsent: Array<{ name: string; file: string }>;
}

/** The build list naming the target: complete lists first, then the nearest build file, then the shortest list. */
export function listFor(targetPath: string, index: RepoIndex): ResolvedList | undefined {
  const dir = posix.dirname(targetPath);
  const depth = (d: string): number => (dir === d || dir.startsWith(`${d}/`) || d === '.' ? d.split('/').length : -1);
  const cands = index.lists.filter((l) => l.files.some((f) => f.path === targetPath));
  // A list whose sources all exist beats one naming generated files (a post-synthesis netlist testbench).
  return cands.sort((a, b) => Number(a.absent.length > 0) - Number(b.absent.length > 0) || depth(b.dir) - depth(a.dir) || a.sources.length - b.sources.length || (a.from < b.from ? -1 : 1))[0];
}

/** Build lists that apply to a C file by directory (CMake include dirs, a Makefile's -I/-D), nearest first. */
function dirListFor(targetPath: string, index: RepoIndex): ResolvedList | undefined {
  const listed = listFor(targetPath, index);
  if (listed) return listed;
  // C sources are not indexed (only headers are): a rule or recipe naming the file is found by its source names.
  const named = index.lists.filter((l) => l.sources.some((src) => posix.normalize(posix.join(l.dir, src)) === targetPath));
  if (named.length > 0) return named.sort((a, b) => a.sources.length - b.sources.length || (a.from < b.from ? -1 : 1))[0];
  const dir = posix.dirname(targetPath);
  const applies = index.lists.filter((l) => (l.dir === '.' || dir === l.dir || dir.startsWith(`${l.dir}/`)) && (l.includeDirs.length > 0 || l.defines.length > 0 || (l.buildValues?.length ?? 0) > 0));
  return applies.sort((a, b) => b.dir.length - a.dir.length)[0];
}

const withText = (f: RepoFile, index: RepoIndex): Ctx | null => {
  const text = index.text(f);
  return text === null ? null : { path: f.path, sha256: f.sha256, text };
};

/**
 * Resolves a target's repository context. HDL: every file defining a module,
 * interface or package the target instantiates or imports — transitively,
 * from the build list naming the target when there is one, else nearest
 * directory first; the target first in compile order (a SoC top that guards
 * its include order with `ifdef/`error must be read before the core), or the
 * build list's order. C: the headers its includes reach and their dirs, plus
 * the include dirs and defines a Makefile or CMakeLists gives.
 */
export function resolveContext(targetPath: string, targetText: string, index: RepoIndex, hdl: boolean, maxFiles = 200): RepoContext {
  const list = hdl ? listFor(targetPath, index) : dirListFor(targetPath, index);
  const listed = new Map((list?.files ?? []).map((f, i) => [f.path, i]));
  const chosen = new Map<string, IndexedFile>();
  const headers = new Map<string, IndexedFile>();
  const includeDirs = new Set<string>([...(list?.resolvedIncludeDirs ?? []), posix.dirname(targetPath)]);
  const clean0 = stripComments(targetText);
  const own = new Set(hdl ? definedUnits(clean0).map((u) => u.name) : []);
  const providedByAbsent: RepoContext['providedByAbsent'] = [];
  // Indexed files carry what they include and use (scanned once per rebuild); only the target is scanned here.
  const queue: Array<{ path: string } & Pick<IndexedFile, 'includes' | 'system' | 'uses' | 'typeRefs'>> = [{ path: targetPath, ...scanText(clean0, hdl) }];
  const seenNames = new Set<string>(own);
  while (queue.length > 0 && chosen.size + headers.size < maxFiles) {
    const cur = queue.shift()!;
    const angled = new Set(cur.system ?? []);
    for (const inc of cur.includes) {
      const hit = findInclude(inc, cur.path, [...includeDirs], index, angled.has(inc) && isSystemHeader(inc)) ?? (hdl ? undefined : includedSource(inc, cur.path, index));
      if (!hit || hit.path === targetPath) continue;
      includeDirs.add(includeDirFor(hit.path, inc));
      if (!headers.has(hit.path) && !chosen.has(hit.path)) {
        headers.set(hit.path, hit);
        queue.push(hit);
      }
    }
    if (!hdl) continue;
    const interfaces = cur.typeRefs.filter((n) => index.definers.get(n)?.some((f) => f.units.some((u) => u.kind === 'interface')));
    for (const name of [...cur.uses, ...interfaces]) {
      if (seenNames.has(name)) continue;
      seenNames.add(name);
      const cands = index.definers.get(name)?.filter((c) => c.path !== targetPath);
      // A file already chosen defines it: never a second definition (duplicate-module errors).
      if (cands?.some((c) => chosen.has(c.path))) continue;
      const inList = cands?.filter((c) => listed.has(c.path)) ?? [];
      let pick: IndexedFile | undefined;
      if (inList.length > 0) pick = inList[0];
      else if (list && list.absent.length > 0) {
        // The build list names a source the repository lacks (generated, or never committed): it provides this.
        providedByAbsent.push({ name, file: list.absent[0]! });
        continue;
      } else if (cands && cands.length > 0) pick = nearestTo(cands, posix.dirname(targetPath));
      if (!pick || chosen.has(pick.path)) continue;
      chosen.set(pick.path, pick);
      for (const u of pick.units) seenNames.add(u.name);
      headers.delete(pick.path);
      queue.push(pick);
    }
  }
  const deps = [...chosen.values()].map((f) => withText(f, index)).filter((f): f is Ctx => f !== null);
  const order = compileOrder(targetPath, deps, chosen, listed);
  const byPath = new Map(deps.map((d) => [d.path, d]));
  return {
    deps: order.filter((p) => p !== targetPath).map((p) => byPath.get(p)!),
    order,
    headers: [...headers.values()].map((f) => withText(f, index)).filter((f): f is Ctx => f !== null),
    includeDirs: [...includeDirs].filter(isSafeRelative),
    defines: list?.defines ?? [],
    buildValues: list?.buildValues ?? [],
    ...(list ? { buildList: list.from } : {}),
    providedByAbsent,
  };
}

/** Build-list order where there is one; otherwise packages, then the target, then the rest in discovery order. */
function compileOrder(target: string, deps: readonly Ctx[], chosen: Map<string, IndexedFile>, listed: Map<string, number>): string[] {
  const pkgs = deps.filter((d) => chosen.get(d.path)?.isPackage).map((d) => d.path);
  const rest = deps.filter((d) => !chosen.get(d.path)?.isPackage).map((d) => d.path);
  if (listed.has(target)) {
    const inList = [target, ...deps.map((d) => d.path).filter((p) => listed.has(p))].sort((a, b) => listed.get(a)! - listed.get(b)!);
    const extraPkgs = pkgs.filter((p) => !listed.has(p));
    return [...extraPkgs, ...inList, ...rest.filter((p) => !listed.has(p))];
  }
  return [...pkgs, target, ...rest];
}

// Where the host C library's headers live (Debian: libc6-dev, linux-libc-dev).
const SYSTEM_INCLUDE = ['/usr/include', '/usr/include/x86_64-linux-gnu'];
// Asked for every angled include of every file a context resolves: the answer is kept per name (the host's
// headers do not change during a run).
const systemHeaders = new Map<string, boolean>();
function isSystemHeader(inc: string): boolean {
  let known = systemHeaders.get(inc);
  if (known === undefined) systemHeaders.set(inc, (known = !inc.includes('..') && SYSTEM_INCLUDE.some((d) => existsSync(join(d, inc)))));
  return known;
}

/**
 * The repository file an include names: relative to the includer, then the
 * include dirs, then by path suffix. `#include <fcntl.h>` of a header the C
 * library has is searched in the include dirs only, as gcc does: a
 * repository's own `kernel/fcntl.h` (xv6's, with O_CREATE, not O_CREAT) found
 * by suffix would shadow the C library's for a host tool like xv6's mkfs.c.
 */
function findInclude(inc: string, from: string, dirs: readonly string[], index: RepoIndex, system = false): IndexedFile | undefined {
  const rel = system ? undefined : index.byPath.get(posix.normalize(posix.join(posix.dirname(from), inc)));
  if (rel) return rel;
  for (const d of dirs) {
    const hit = index.byPath.get(posix.normalize(posix.join(d, inc)));
    if (hit) return hit;
  }
  if (system) return undefined;
  const cands = index.bySuffix(posix.normalize(inc).replace(/^(?:\.\.\/)+/, ''));
  return cands.length > 0 ? nearestTo(cands, posix.dirname(from)) : undefined;
}

/**
 * A C source included like a header (`#include "stdlib.c"`, kianRiscV's
 * bootloaders): sources are not indexed, so it is looked up among them
 * relative to the includer, and scanned for its own includes.
 */
function includedSource(inc: string, from: string, index: RepoIndex): IndexedFile | undefined {
  const p = posix.normalize(posix.join(posix.dirname(from), inc));
  if (!/\.(?:c|cc|cpp|cxx)$/.test(inc) || !isSafeRelative(p)) return undefined;
  const f = index.cSources.find((s) => s.path === p);
  const text = f ? index.text(f) : null;
  return f && text !== null ? { ...f, ...scanText(stripComments(text), false), units: [], isPackage: false } : undefined;
}

/** The -I directory under which `inc` resolves to `path`. */
function includeDirFor(path: string, inc: string): string {
  const norm = posix.normalize(inc).replace(/^(?:\.\.\/)+/, '');
  const dir = path.slice(0, path.length - norm.length).replace(/\/$/, '');
  return path.endsWith(norm) ? dir || '.' : posix.dirname(path);
}
