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

interface FileEntry {
  file: string;
  include: boolean;
  includePath?: string;
}

/** A fileset's files: plain strings or `{name: {file_type, is_include_file, include_path}}`. */
function filesetFiles(fs: Record<string, unknown>): FileEntry[] {
  const files = Array.isArray(fs.files) ? fs.files : [];
  return files.flatMap((f): FileEntry[] => {
    if (typeof f === 'string') return [{ file: f, include: false }];
    if (!isObj(f)) return [];
    return Object.entries(f).map(([file, attrs]) => {
      const a = isObj(attrs) ? attrs : {};
      return { file, include: a.is_include_file === true, ...(typeof a.include_path === 'string' ? { includePath: a.include_path } : {}) };
    });
  });
}

/**
 * A FuseSoC CAPI2 `.core`: one list per target, its filesets' files in order,
 * the directories of include files, and `vlogdefine` parameters the target
 * uses with their defaults. Conditional filesets (`tool_x? (fs)`) are left out:
 * the check runs no particular tool flow.
 */
export function parseCore(path: string, text: string, y: Yaml): BuildList[] {
  let doc: unknown;
  try {
    doc = y.parse(text);
  } catch {
    return [];
  }
  if (!isObj(doc) || !isObj(doc.filesets)) return [];
  const dir = posix.dirname(path);
  const filesets = doc.filesets as Record<string, unknown>;
  const params = isObj(doc.parameters) ? (doc.parameters as Record<string, unknown>) : {};
  const targets = isObj(doc.targets) ? (doc.targets as Record<string, unknown>) : { default: { filesets: Object.keys(filesets) } };
  const lists: BuildList[] = [];
  for (const [name, t] of Object.entries(targets)) {
    if (!isObj(t) || !Array.isArray(t.filesets)) continue;
    const list: BuildList = { from: `${path} (target ${name})`, dir, sources: [], includeDirs: [], defines: [] };
    for (const fsName of t.filesets) {
      if (typeof fsName !== 'string' || fsName.includes('?')) continue;
      const fs = filesets[fsName];
      if (!isObj(fs)) continue;
      for (const e of filesetFiles(fs)) {
        if (e.include) list.includeDirs.push(e.includePath ?? posix.dirname(e.file));
        else list.sources.push(e.file);
      }
    }
    for (const p of Array.isArray(t.parameters) ? t.parameters : []) {
      const key = typeof p === 'string' ? p.replace(re2(/=.*$/), '') : '';
      const def = params[key];
      if (isObj(def) && def.paramtype === 'vlogdefine' && def.default !== undefined) list.defines.push(`${key}=${String(def.default)}`);
    }
    if (list.sources.length > 0) lists.push(list);
  }
  return lists;
}
