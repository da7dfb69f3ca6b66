import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** Folders that hold no TypeScript source of ours. */
const SKIP = new Set(['node_modules', 'dist', '.git', 'demo', 'docs', '.incorpus']);

/** Every .ts source file under `root` (declaration files excluded), as POSIX paths relative to it. */
export function listSources(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      if (SKIP.has(name)) return [];
      if (statSync(p).isDirectory()) return walk(p);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(root, p).split(sep).join('/')] : [];
    });
  return walk(root).sort();
}

/**
 * The project files each source imports: static imports and re-exports
 * (type-only ones included — a type cycle is still a knot to untie) and
 * dynamic import() calls, as TypeScript's own pre-processor reads them.
 */
export function buildImportGraph(root: string, files = listSources(root)): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = new Set<string>();
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), ref.fileName)).replace(/\.js$/, '.ts');
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The top-level folder of a source path ('.' for files at the root). */
export function topFolder(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : '.';
}

/** Imports that cross from one top-level folder into one it may not use, as `from → to` lines. */
export function layerViolations(graph: ReadonlyMap<string, readonly string[]>, allowed: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    const from = topFolder(file);
    const may = allowed[from];
    if (!may) {
      out.push(`${file}: folder ${from}/ has no place in the layer table`);
      continue;
    }
    for (const t of targets) {
      const to = topFolder(t);
      if (to !== from && !may.includes(to)) out.push(`${file} → ${t} (${from}/ may use only ${may.join(', ') || 'nothing'})`);
    }
  }
  return out;
}

/**
 * Calls that take SQL text (a RegExp's .exec() does not match: its receiver
 * is not `db`). Grouping store calls in db.transaction() is not SQL and is allowed.
 */
const SQL_CALL = /\.(prepare|pragma)\(|\bdb\.exec\(|\bnew Database\(/;

/** Files outside the store that run SQL: only corpus/ and files named *-store.ts may. */
export function sqlOutsideStores(root: string, files: readonly string[], exempt: readonly string[]): string[] {
  return files.filter((f) => {
    if (f.startsWith('corpus/') || f.endsWith('-store.ts') || exempt.includes(topFolder(f))) return false;
    return SQL_CALL.test(readFileSync(join(root, f), 'utf8'));
  });
}
