import { re2 } from '../linear-regex.js';
/**
 * Directives that make a compiler or synthesizer read a file by path. An
 * absolute path or a `..` that climbs out of the repository points at the
 * host (`#include "/etc/passwd"`, `$readmemh("../../../root/.ssh/id_rsa")`):
 * such a file is refused before any tool runs. The sandbox hides the host
 * too; this is the second wall, and it gives a clear status.
 */
const FILE_DIRECTIVES = [
  re2(/^\s*#\s*(?:include|include_next|import|embed)\s*[<"]([^">\n]+)[">]/gm),
  re2(/`include\s+["<]([^">\n]+)[">]/g),
  /\$readmem[hb]\s*\(\s*"([^"\n]+)"/g,
  /\$(?:fopen|fread|fscanf)\s*\(\s*"([^"\n]+)"/g,
  re2(/^\s*\.incbin\s+"([^"\n]+)"/gm),
];

/** The first directive that escapes the repository, or null when all stay inside. */
export function findUnsafeInclude(path: string, text: string): string | null {
  const depth = path.split('/').length - 1;
  for (const re of FILE_DIRECTIVES) {
    for (const m of text.matchAll(re)) {
      const target = m[1]!.trim();
      if (escapes(target, depth)) return m[0].trim().slice(0, 120);
    }
  }
  return null;
}

/** True for absolute paths, home-relative paths, or more `..` than the file is deep. */
function escapes(target: string, depth: number): boolean {
  if (target.startsWith('/') || target.startsWith('~') || /^[A-Za-z]:[\\/]/.test(target)) return true;
  let level = depth;
  for (const seg of target.split(/[\\/]/)) {
    if (seg === '..') level--;
    else if (seg !== '.' && seg !== '') level++;
    if (level < 0) return true;
  }
  return false;
}
