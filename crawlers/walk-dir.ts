import { lstatSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';

/** One path found under a crawl root; symlinks are reported, never followed. */
export interface DirEntry {
  /** Path relative to the root, with forward slashes. */
  relPath: string;
  absPath: string;
  kind: 'file' | 'symlink' | 'special';
  size: number;
}

/** Version-control metadata is provenance, not content. */
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);

/**
 * Walks a directory depth-first in sorted order (so crawls are deterministic),
 * without following symlinks: a link to `/etc` or `..` is recorded, not entered.
 */
export function* walkDir(root: string): Generator<DirEntry> {
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const names = readdirSync(join(root, rel)).sort();
    const subdirs: string[] = [];
    for (const name of names) {
      const relPath = rel === '' ? name : posix.join(rel, name);
      const absPath = join(root, relPath);
      const st = lstatSync(absPath);
      if (st.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) subdirs.push(relPath);
      } else if (st.isSymbolicLink()) {
        yield { relPath, absPath, kind: 'symlink', size: 0 };
      } else if (st.isFile()) {
        yield { relPath, absPath, kind: 'file', size: st.size };
      } else {
        yield { relPath, absPath, kind: 'special', size: 0 };
      }
    }
    // Reverse so the stack pops subdirectories in sorted order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
