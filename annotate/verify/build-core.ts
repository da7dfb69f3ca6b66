import { posix } from 'node:path';
import type { BuildList } from './build-lists.js';
import { re2 } from '../linear-regex.js';

type Yaml = { parse(text: string): unknown };
let yaml: Yaml | null = null;

/** The YAML parser, loaded on first use (the `yaml` package: FuseSoC files are YAML 1.2). */
export async function loadYaml(): Promise<Yaml> {
  yaml ??= (await import('yaml')).default as Yaml;
  return yaml;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** One parsed CAPI2 core: its VLNV name without version, filesets, targets and parameters. */
export interface CoreFile {
  path: string;
  dir: string;
  /** `vendor:library:name` (the version dropped: a `depend` names it with a version constraint). */
  name: string | null;
  filesets: Record<string, unknown>;
  targets: Record<string, unknown>;
  params: Record<string, unknown>;
}

/** Reads a `.core` file; null when it is not YAML or has no filesets. */
export function readCore(path: string, text: string, y: Yaml): CoreFile | null {
  let doc: unknown;
  try {
    doc = y.parse(text);
  } catch {
    return null;
  }
  if (!isObj(doc) || !isObj(doc.filesets)) return null;
  const filesets = doc.filesets as Record<string, unknown>;
  return {
    path,
    dir: posix.dirname(path),
    name: typeof doc.name === 'string' ? vlnvName(doc.name) : null,
    filesets,
    targets: isObj(doc.targets) ? (doc.targets as Record<string, unknown>) : { default: { filesets: Object.keys(filesets) } },
    params: isObj(doc.parameters) ? (doc.parameters as Record<string, unknown>) : {},
  };
}

/** `award-winning:serv:servile:1.2.0` or `>=fusesoc:utils:generators:0.1` → `award-winning:serv:servile`, `fusesoc:utils:generators`. */
export function vlnvName(s: string): string {
  const parts = s.trim().replace(/^[<>=~^!]+/, '').split(':');
  return parts.slice(0, 3).join(':');
}

/**
 * FuseSoC's use-flag conditionals in a fileset's files, a depend list or a
 * target's filesets: `flag? (a b)` keeps a, b when the flag is set, `!flag?
 * (a)` when it is not (FuseSoC's CAPI2 reference, "Expressions"). Returns the
 * plain words kept, in order.
 */
export function evalFlags(expr: string, flags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const tokens = expr.match(/!?[\w.-]+\?|\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const group = (keep: boolean, depth: number): void => {
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t === ')') return;
      if (t.endsWith('?') && tokens[i] === '(') {
        i++;
        const neg = t.startsWith('!');
        const set = flags.has(t.slice(neg ? 1 : 0, -1));
        if (depth < 8) group(keep && set !== neg, depth + 1);
      } else if (t !== '(' && keep) out.push(t);
    }
  };
  group(true, 0);
  return out;
}

// FuseSoC file types of HDL sources; an untyped file counts by its extension.
const HDL_TYPE = /^(?:verilogSource|systemVerilogSource)(?:-[\w.]+)?$/;
const HDL_EXT = /\.(?:v|sv|vh|svh)$/;

interface FileEntry {
  file: string;
  include: boolean;
  includePath?: string;
}

/**
 * A fileset's HDL files: plain strings or `{name: {file_type, is_include_file,
 * include_path}}`, conditionals evaluated. Constraint files, memory images,
 * Tcl and C++ testbenches are not HDL sources (counted as absent sources they
 * would stand for every module the list lacks).
 */
function filesetFiles(fs: Record<string, unknown>, flags: ReadonlySet<string>): FileEntry[] {
  const files = Array.isArray(fs.files) ? fs.files : [];
  const setType = typeof fs.file_type === 'string' ? fs.file_type : null;
  const isHdl = (file: string, type: unknown): boolean => (typeof type === 'string' ? HDL_TYPE.test(type) : setType ? HDL_TYPE.test(setType) : HDL_EXT.test(file));
  return files.flatMap((f): FileEntry[] => {
    const entries: Array<[string, Record<string, unknown>]> = typeof f === 'string' ? [[f, {}]] : isObj(f) ? Object.entries(f).map(([k, a]) => [k, isObj(a) ? a : {}]) : [];
    return entries.flatMap(([expr, a]) =>
      evalFlags(expr, flags)
        .filter((file) => isHdl(file, a.file_type) || a.is_include_file === true)
        .map((file) => ({ file, include: a.is_include_file === true, ...(typeof a.include_path === 'string' ? { includePath: a.include_path } : {}) })),
    );
  });
}

/** A target's flags as FuseSoC sets them: `target_<name>`, `tool_<default_tool>`, and the target's own `flags`. */
function targetFlags(name: string, t: Record<string, unknown>): Set<string> {
  const flags = new Set([`target_${name}`]);
  if (typeof t.default_tool === 'string') flags.add(`tool_${t.default_tool}`);
  if (isObj(t.flags)) for (const [k, v] of Object.entries(t.flags)) if (v === true) flags.add(k);
  return flags;
}

/** Sources (relative to `into`), include dirs and dependencies of some filesets of a core. */
function collect(core: CoreFile, names: readonly string[], flags: ReadonlySet<string>, into: string, list: BuildList, depends: string[]): void {
  const rel = (p: string): string => posix.relative(into, posix.join(core.dir, p)) || '.';
  for (const fsName of names) {
    const fs = core.filesets[fsName];
    if (!isObj(fs)) continue;
    for (const e of filesetFiles(fs, flags)) {
      if (e.include) list.includeDirs.push(rel(e.includePath ?? posix.dirname(e.file)));
      else list.sources.push(rel(e.file));
    }
    const dep = Array.isArray(fs.depend) ? fs.depend.filter((d): d is string => typeof d === 'string') : [];
    for (const d of dep.flatMap((x) => evalFlags(x, flags))) depends.push(vlnvName(d));
  }
}

/** A target's fileset names, conditionals evaluated. */
const targetFilesets = (t: Record<string, unknown>, flags: ReadonlySet<string>): string[] =>
  [...(Array.isArray(t.filesets) ? t.filesets : []), ...(Array.isArray(t.filesets_append) ? t.filesets_append : [])].filter((x): x is string => typeof x === 'string').flatMap((x) => evalFlags(x, flags));

/**
 * One list per target of each core: the `default` target's filesets of every
 * core it depends on in the repository (transitively, dependencies first —
 * FuseSoC uses a dependency's default target and orders dependencies before
 * the dependent), then its own filesets in order; include-file dirs;
 * `vlogdefine` parameters the target uses with their defaults. A dependency
 * not in the repository (`fusesoc:utils:generators`) adds nothing.
 */
export function coreLists(cores: readonly CoreFile[]): BuildList[] {
  const byName = new Map(cores.filter((c) => c.name).map((c) => [c.name!, c]));
  const lists: BuildList[] = [];
  for (const core of cores) {
    for (const [name, t] of Object.entries(core.targets)) {
      if (!isObj(t)) continue;
      const flags = targetFlags(name, t);
      const own: BuildList = { from: `${core.path} (target ${name})`, dir: core.dir, sources: [], includeDirs: [], defines: [] };
      const pending: string[] = [];
      collect(core, targetFilesets(t, flags), flags, core.dir, own, pending);
      const before: BuildList = { ...own, sources: [], includeDirs: [] };
      const seen = new Set<string>(core.name ? [core.name] : []);
      // Breadth-first over dependencies; each one's files go before those of the cores that pulled it in.
      const layers: BuildList[] = [];
      while (pending.length > 0 && seen.size < 64) {
        const dep = byName.get(pending.shift()!);
        if (!dep || seen.has(dep.name!)) continue;
        seen.add(dep.name!);
        const dt = isObj(dep.targets.default) ? dep.targets.default : { filesets: Object.keys(dep.filesets) };
        const layer: BuildList = { ...before, sources: [], includeDirs: [] };
        collect(dep, targetFilesets(dt, flags), flags, core.dir, layer, pending);
        layers.push(layer);
      }
      for (const l of layers.reverse()) {
        before.sources.push(...l.sources);
        before.includeDirs.push(...l.includeDirs);
      }
      const list: BuildList = { ...own, sources: [...new Set([...before.sources, ...own.sources])], includeDirs: [...new Set([...before.includeDirs, ...own.includeDirs])] };
      for (const p of Array.isArray(t.parameters) ? t.parameters : []) {
        const key = typeof p === 'string' ? p.replace(re2(/=.*$/), '') : '';
        const def = core.params[key];
        if (isObj(def) && def.paramtype === 'vlogdefine' && def.default !== undefined) list.defines.push(`${key}=${String(def.default)}`);
      }
      if (list.sources.length > 0) lists.push(list);
    }
  }
  return lists;
}

/** The lists of one `.core` on its own (dependencies on other cores unresolved). */
export function parseCore(path: string, text: string, y: Yaml): BuildList[] {
  const core = readCore(path, text, y);
  return core ? coreLists([core]) : [];
}
