/** Bounds on what of a tool's output reaches the corpus. */
export interface SanitizeOptions {
  /** @default 12 */
  maxLines?: number;
  /** @default 800 */
  maxChars?: number;
}

const ELIDED = '<diagnostic about a file outside the repository elided>';
// An absolute path that is not a system header or the sandbox's own work dir.
const HOST_PATH = /(?:^|[\s'"`(<:=])\/(?!usr\/)[^\s:'"`>)]+/;
const DIAGNOSTIC = /^(?:In file included from |[^\s:]+:\d+(?::\d+)?:|%(?:Error|Warning)|ERROR|Warning|warning|error|fatal|SyntaxError|\s*File "|[A-Za-z]*Error:|\d+ error)/;

/**
 * Makes a tool log safe to store: the sandbox work dir becomes repo-relative,
 * only diagnostic-shaped lines survive (tools echo source lines — from a
 * hostile `#include "/etc/passwd"` those would be host content), any line
 * naming a path outside the repository is elided, control characters go, and
 * the result is bounded. The raw log never leaves the verify step.
 */
export function sanitizeLog(raw: string, workDirs: readonly string[], opts: SanitizeOptions = {}): string {
  const maxLines = opts.maxLines ?? 12;
  const maxChars = opts.maxChars ?? 800;
  let text = raw.replace(/\r/g, '');
  for (const dir of [...workDirs].sort((a, b) => b.length - a.length)) text = text.split(dir.endsWith('/') ? dir : `${dir}/`).join('').split(dir).join('.');
  const out: string[] = [];
  for (const line0 of text.split('\n')) {
    const line = line0.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trimEnd();
    if (!DIAGNOSTIC.test(line)) continue;
    const safe = HOST_PATH.test(line) ? ELIDED : line.slice(0, 200);
    if (out[out.length - 1] === safe) continue;
    out.push(safe);
    if (out.length >= maxLines) break;
  }
  const joined = out.join('\n');
  return joined.length > maxChars ? `${joined.slice(0, maxChars - 1)}…` : joined;
}
