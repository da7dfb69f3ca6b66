import { posix } from 'node:path';
import { re2 } from '../linear-regex.js';

/** Bounds on what of a tool's output reaches the corpus. */
export interface SanitizeOptions {
  /** @default 12 */
  maxLines?: number;
  /** @default 800 */
  maxChars?: number;
}

const ELIDED = '<diagnostic about a file outside the repository elided>';
const DIAGNOSTIC = /^(?:[^\s:]+: (?:fatal |internal compiler )?(?:error|warning)\b|In file included from |\s+from [^\s:]+:\d+|[^\s:]+:\d+(?::\d+)?:|%(?:Error|Warning)|ERROR|Warning|warning|error|fatal|sorry|SyntaxError|IndentationError|\s*File "|[A-Za-z]*Error:|\d+ error|I give up)/;
const ERRORISH = /\berror\b|%Error|ERROR|sorry|fatal|SyntaxError|IndentationError|I give up/i;
// A path-looking token: anything with a slash, up to quotes, brackets, commas or whitespace.
const PATH_TOKEN = re2(/[^\s'"`()<>,;{}[\]]*\/[^\s'"`()<>,;{}[\]]*/g);

/**
 * True when a token names a place outside the work dir: absolute (other than
 * the read-only system tree /usr), home-relative, or relative with more `..`
 * than it has directories once normalized (`../x`, `rtl/../../etc/passwd`).
 */
export function namesOutside(token: string): boolean {
  const t = token.replace(re2(/(?::\d+)+:?$/), '').replace(re2(/[.:]+$/), '');
  if (!/\w/.test(t) || /^[a-z][\w+.-]*:\/\//i.test(t)) return false; // a URL in a message (verilator's manual link)
  if (t.startsWith('~')) return true;
  if (t.startsWith('/')) {
    const n = posix.normalize(t);
    return !(n.startsWith('/usr/') || n === '/dev/null');
  }
  const n = posix.normalize(t);
  return n === '..' || n.startsWith('../');
}

/**
 * Makes a tool log safe to store: the sandbox work dir becomes repo-relative,
 * only diagnostic-shaped lines survive (tools echo source lines — from a
 * hostile `#include "/etc/passwd"` those would be host content), any line
 * naming a path outside the work dir is elided (absolute or `../` forms),
 * control characters go, and the result is bounded. The raw log never leaves
 * the verify step.
 */
export function sanitizeLog(raw: string, workDirs: readonly string[], opts: SanitizeOptions = {}): string {
  const maxLines = opts.maxLines ?? 12;
  const maxChars = opts.maxChars ?? 800;
  let text = raw.replace(/\r/g, '');
  for (const dir of [...workDirs].sort((a, b) => b.length - a.length)) text = text.split(dir.endsWith('/') ? dir : `${dir}/`).join('').split(dir).join('.');
  const kept: Array<{ line: string; error: boolean }> = [];
  for (const line0 of text.split('\n')) {
    const line = line0.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trimEnd();
    if (!DIAGNOSTIC.test(line)) continue;
    const outside = (line.match(PATH_TOKEN) ?? []).some(namesOutside);
    const safe = outside ? ELIDED : line.slice(0, 200);
    if (kept[kept.length - 1]?.line === safe) continue;
    kept.push({ line: safe, error: ERRORISH.test(safe) });
  }
  // Errors first when there is more than room (lines or characters): a run of warnings must not push out the error that decided the status.
  const chosen = new Set<(typeof kept)[number]>();
  let chars = 0;
  for (const k of [...kept.filter((x) => x.error), ...kept.filter((x) => !x.error)]) {
    if (chosen.size >= maxLines || chars + k.line.length + 1 > maxChars) continue;
    chosen.add(k);
    chars += k.line.length + 1;
  }
  const out = kept.filter((k) => chosen.has(k)).map((k) => k.line);
  const joined = out.join('\n');
  return joined.length > maxChars ? `${joined.slice(0, maxChars - 1)}…` : joined;
}
