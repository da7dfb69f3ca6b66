import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Db } from '../../corpus/db.js';
import type { RawSnapshot } from '../../corpus/raw-snapshot.js';
import { listAllRepoFiles, readRepoFileText, type RepoFile } from '../../corpus/repo-files.js';
import { coreLists, loadYaml, readCore, type CoreFile } from './build-core.js';
import { parseCMake, parseFileList, parseMakefile, type BuildList } from './build-lists.js';
import { contextExtensions, type CheckSpec } from './check-specs.js';
import { addGeneratorFacts, emptyGenerated, isGeneratorFile, type GeneratedNames } from './generated-names.js';
import { definedUnits, findInstantiations, includeTargets, packageRefs, stripComments, type UnitKind } from './hdl-scan.js';
import { createTextCache, type TextCache } from './text-cache.js';
import { re2 } from '../linear-regex.js';

/** One indexed repository file: what it defines, includes and instantiates. */
export interface IndexedFile extends RepoFile {
  units: Array<{ name: string; kind: UnitKind }>;
  includes: string[];
  /** C: the names included with angle brackets (`#include <fcntl.h>`). */
  system?: string[];
  /** Module types it instantiates and packages it names (HDL). */
  uses: string[];
  /** Names used like an interface type (`axi_if.master bus`); kept when an interface of that name exists. */
  typeRefs: string[];
  isPackage: boolean;
}

/** A build list with its sources resolved to repository files (unresolved ones kept by name). */
export interface ResolvedList extends BuildList {
  files: IndexedFile[];
  absent: string[];
  resolvedIncludeDirs: string[];
}

/**
 * Everything context resolution asks of a repository, built once per rebuild
 * from one listing query: path and suffix maps (an include or build-file path
 * resolves in O(1), not by scanning every file), who defines and who
 * instantiates each module, build lists, generated names. Texts come from a
 * bounded LRU shared by all repositories, never all held at once.
 */
export interface RepoIndex {
  repo: string;
  files: IndexedFile[];
  byPath: Map<string, IndexedFile>;
  definers: Map<string, IndexedFile[]>;
  users: Map<string, IndexedFile[]>;
  lists: ResolvedList[];
  generated: GeneratedNames;
  /** Every current path of the repository (any extension). */
  allPaths: Set<string>;
  /** C-family sources (not indexed: read only when a header's includer is looked for). */
  cSources: RepoFile[];
  /** Preprocessed assembly sources (`.S`), for headers only they include. */
  asmSources: RepoFile[];
  text(f: RepoFile): string | null;
  /** The file a path names: exact, else by the longest path suffix (a symlinked lib/ dir, a build file's relative path). */
  resolvePath(p: string, fromDir: string): IndexedFile | null;
  bySuffix(p: string): IndexedFile[];
}

const BUILD_FILE = /(?:^|\/)(?:Makefile|makefile|GNUmakefile|[Mm]akefile\.[\w.-]+|[^/]+\.mk|[^/]+\.core|[^/]+\.f|[^/]+\.vc|CMakeLists\.txt|[^/]+\.cmake)$/;

const C_SOURCE = /\.(?:c|cc|cpp|cxx|cu)$/;
/** Preprocessed assembly: a C-syntax header may be included only by these (asm-header.ts). */
const ASM_SOURCE = /\.(?:S|sx)$/;

/** sha256 over the paths and contents of what context resolution reads: changes when any of it changes. */
export function repoFingerprint(files: readonly RepoFile[], kind: CheckSpec['context']): string {
  const exts = contextExtensions(kind);
  const h = createHash('sha256').update(kind);
  // C: the sources too — a header's result can come from the source that includes it (header-in-includer.ts).
  const sources = kind === 'c-headers' ? C_SOURCE : null;
  const asm = kind === 'c-headers' ? ASM_SOURCE : null;
  for (const f of files) if (exts.some((e) => f.path.toLowerCase().endsWith(e)) || sources?.test(f.path) || asm?.test(f.path) || BUILD_FILE.test(f.path) || isGeneratorFile(f.path)) h.update(`${f.path}\u0000${f.sha256}\n`);
  return h.digest('hex');
}

/** What context resolution follows in a (comment-stripped) text: includes, instantiated modules and packages, interface-like type names. */
export function scanText(clean: string, hdl: boolean): Pick<IndexedFile, 'includes' | 'system' | 'uses' | 'typeRefs'> {
  if (!hdl) {
    const incs = [...clean.matchAll(re2(/^[ \t]*#[ \t]*include[ \t]*(["<])([^">\n]+)[">]/gm))];
    return { includes: incs.map((m) => m[2]!), system: incs.filter((m) => m[1] === '<').map((m) => m[2]!), uses: [], typeRefs: [] };
  }
  return {
    includes: includeTargets(clean),
    uses: [...new Set([...findInstantiations(clean).map((i) => i.module), ...packageRefs(clean)])],
    typeRefs: [...new Set([...clean.matchAll(re2(/\b([A-Za-z_][\w$]*)\s*\.\s*[A-Za-z_][\w$]*\s+[A-Za-z_]/g))].map((m) => m[1]!))],
  };
}

function scan(f: RepoFile, text: string, hdl: boolean): IndexedFile {
  const clean = stripComments(text);
  const units = hdl ? definedUnits(clean) : [];
  return { ...f, ...scanText(clean, hdl), units, isPackage: units.some((u) => u.kind === 'package') };
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => void (m.get(k) ?? m.set(k, []).get(k)!).push(v);

/** Builds the index of one repository for one context kind. */
export async function buildRepoIndex(db: Db, repo: string, kind: CheckSpec['context'], listing: readonly RepoFile[], texts: TextCache): Promise<RepoIndex> {
  const exts = contextExtensions(kind);
  const hdl = kind === 'hdl';
  const text = (f: RepoFile): string | null => texts.get(f.sha256, () => readRepoFileText(db, f.sha256));
  const files: IndexedFile[] = [];
  const byPath = new Map<string, IndexedFile>();
  const suffixes = new Map<string, IndexedFile[]>();
  const definers = new Map<string, IndexedFile[]>();
  const users = new Map<string, IndexedFile[]>();
  for (const f of listing) {
    if (!exts.some((e) => f.path.toLowerCase().endsWith(e)) || !isSafeRelative(f.path) || f.size > 2_000_000) continue;
    const t = text(f);
    if (t === null) continue;
    const entry = scan(f, t, hdl);
    files.push(entry);
    byPath.set(f.path, entry);
    const segs = f.path.split('/');
    for (let i = 0; i < segs.length; i++) push(suffixes, segs.slice(i).join('/'), entry);
    for (const u of entry.units) push(definers, u.name, entry);
    for (const u of entry.uses) push(users, u, entry);
  }
  const bySuffix = (p: string): IndexedFile[] => suffixes.get(p) ?? [];
  const resolvePath = (p: string, fromDir: string): IndexedFile | null => {
    for (let d = fromDir; ; d = posix.dirname(d)) {
      const hit = byPath.get(posix.normalize(posix.join(d, p)));
      if (hit) return hit;
      if (d === '.' || d === '/' || d === '') break;
    }
    const segs = posix.normalize(p).split('/').filter((s) => s !== '..' && s !== '.');
    for (let i = 0; i < segs.length; i++) {
      const cands = suffixes.get(segs.slice(i).join('/'));
      if (cands?.length) return nearestTo(cands, fromDir);
    }
    return null;
  };
  const generated = emptyGenerated();
  const lists: BuildList[] = [];
  // Cores are linked after all are read: a target's `depend` names other cores of the repository.
  const cores: CoreFile[] = [];
  // Makefiles another one includes: their lists stand only inside the includer (with its -D flags).
  const fragments = new Set<string>();
  const anyPath = new Map(listing.map((f) => [f.path, f]));
  const allPaths = new Set(anyPath.keys());
  const readPath = (p: string): string | null => {
    const f = anyPath.get(p);
    return f ? text(f) : null;
  };
  for (const f of listing) {
    if (f.size > 1_000_000) continue;
    if (isGeneratorFile(f.path)) addGeneratorFacts(generated, f.path, /\.(?:xci|xcix|qsys|ip|bd)$/i.test(f.path) ? null : text(f));
    if (!BUILD_FILE.test(f.path)) continue;
    const t = text(f);
    if (t === null) continue;
    if (/\bverilator\b/.test(t)) generated.verilator = true;
    if (f.path.endsWith('.core')) {
      const core = readCore(f.path, t, await loadYaml());
      if (core) cores.push(core);
    }
    else if (/\.(?:f|vc)$/.test(f.path)) lists.push(parseFileList(f.path, t, readPath));
    else if (/CMakeLists\.txt$|\.cmake$/.test(f.path)) lists.push(...parseCMake(f.path, t));
    else {
      const mk = parseMakefile(f.path, t, readPath);
      lists.push(...mk.lists);
      for (const o of mk.outputs.files) generated.files.add(o);
      for (const p of mk.outputs.included ?? []) fragments.add(p);
    }
  }
  lists.push(...coreLists(cores));
  // An HDL list's C++ testbench or constraint file is not an absent HDL source (it would stand for every module the list lacks).
  const counts = (s: string): boolean => !hdl || exts.some((e) => s.toLowerCase().endsWith(e));
  const resolved = lists.filter((l) => !fragments.has(l.from.split(' (')[0]!)).map((l): ResolvedList => {
    const found = l.sources.map((s) => [s, resolvePath(s, l.dir)] as const);
    return {
      ...l,
      files: found.flatMap(([, f]) => (f ? [f] : [])),
      absent: found.filter(([s, f]) => !f && counts(s)).map(([s]) => s),
      resolvedIncludeDirs: l.includeDirs.map((d) => posix.normalize(posix.join(l.dir, d))).filter(isSafeRelative),
    };
  });
  const cSources = hdl ? [] : listing.filter((f) => C_SOURCE.test(f.path) && isSafeRelative(f.path) && f.size <= 2_000_000);
  const asmSources = hdl ? [] : listing.filter((f) => ASM_SOURCE.test(f.path) && isSafeRelative(f.path) && f.size <= 2_000_000);
  return { repo, files, byPath, definers, users, lists: resolved, generated, allPaths, cSources, asmSources, text, resolvePath, bySuffix };
}

/** A repository path that stays inside the materialized tree. */
export function isSafeRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !p.split('/').includes('..');
}

/** The candidate closest to a directory in the tree (longest shared prefix), then by path. */
export function nearestTo<T extends { path: string }>(cands: readonly T[], fromDir: string): T {
  const target = fromDir.split('/');
  const shared = (p: string): number => {
    const a = posix.dirname(p).split('/');
    let i = 0;
    while (i < a.length && i < target.length && a[i] === target[i]) i++;
    return i;
  };
  let best = cands[0]!;
  for (const c of cands) {
    const d = shared(c.path) - shared(best.path);
    if (d > 0 || (d === 0 && c.path < best.path)) best = c;
  }
  return best;
}

/**
 * Per-rebuild cache of listings and indexes, bounded in repositories. With the
 * rebuild's raw snapshot, a crawl meanwhile does not change a file's context.
 */
export function createRepoIndexer(db: Db, maxRepos = 32, snapshot?: RawSnapshot): {
  listing(repo: string): RepoFile[];
  fingerprint(repo: string, kind: CheckSpec['context']): string;
  index(repo: string, kind: CheckSpec['context']): Promise<RepoIndex>;
} {
  const texts = createTextCache(64 * 1024 * 1024);
  const listings = new Map<string, RepoFile[]>();
  const prints = new Map<string, string>();
  const indexes = new Map<string, Promise<RepoIndex>>();
  const bounded = <V>(m: Map<string, V>, k: string, make: () => V): V => {
    let v = m.get(k);
    if (v === undefined) {
      v = make();
      m.set(k, v);
      if (m.size > maxRepos) m.delete(m.keys().next().value!);
    }
    return v;
  };
  const listing = (repo: string): RepoFile[] => bounded(listings, repo, () => listAllRepoFiles(db, repo, snapshot));
  return {
    listing,
    fingerprint: (repo, kind) => bounded(prints, `${kind}\u0000${repo}`, () => repoFingerprint(listing(repo), kind)),
    index: (repo, kind) => bounded(indexes, `${kind}\u0000${repo}`, () => buildRepoIndex(db, repo, kind, listing(repo), texts)),
  };
}
