import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, UsageError } from '../pipeline/errors.js';

/**
 * The values `crawl git` puts on git's command line, checked before git sees them.
 * git parses any argument starting with `-` as an option wherever it stands
 * (`--upload-pack=<cmd>` runs a command), so a ref or URL is never allowed to
 * start with one, and the commands also put `--` before their positionals.
 */

/** Transports git may use for a crawl; `ext::`/`fd::` and other remote helpers run programs. */
export const GIT_SCHEMES = ['https', 'http', 'ssh', 'git', 'file'] as const;

/** Same list in git's own form: the GIT_ALLOW_PROTOCOL environment variable (git-config(1), protocol.allow). */
export const GIT_ALLOW_PROTOCOL = GIT_SCHEMES.join(':');

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * A branch, tag, full ref name or commit id, by `git check-ref-format --allow-onelevel`'s
 * rules (git-check-ref-format(1), rules 1–10) plus "no leading `-`"; a 40/64-hex
 * object id is always accepted. Returns the ref or throws a UsageError saying why.
 */
export function checkGitRef(ref: string): string {
  const why = refProblem(ref);
  if (why) throw new UsageError(`--ref ${JSON.stringify(ref)} is not a git ref: ${why}`);
  return ref;
}

function refProblem(ref: string): string | null {
  if (FULL_SHA.test(ref)) return null;
  if (ref.length === 0 || ref.length > 255) return 'expected 1-255 characters';
  if (ref.startsWith('-')) return 'it starts with "-" (git would read it as an option)';
  // Rule 4 (control characters, space, ~ ^ :), rule 5 (? * [), rule 10 (backslash).
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  if (ref.includes('..')) return 'it contains ".."';
  if (ref.includes('@{') || ref === '@') return 'it contains "@{" or is "@"';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'it has an empty path component';
  if (ref.endsWith('.')) return 'it ends with "."';
  for (const part of ref.split('/')) {
    if (part.startsWith('.')) return `component "${part}" starts with "."`;
    if (part.endsWith('.lock')) return `component "${part}" ends with ".lock"`;
  }
  return null;
}

/**
 * The URL handed to `git fetch`: an allow-listed scheme (GIT_SCHEMES), scp-like
 * `user@host:path`, or an existing local path (made a file:// URL, because git
 * ignores --depth for plain paths). Refused: remote helpers (`ext::`, `fd::`,
 * any `<transport>::`), other schemes, and a host or user starting with `-`
 * (`ssh://-oProxyCommand=…`, CVE-2017-1000117).
 */
export function toFetchUrl(url: string): string {
  if (url.startsWith('-')) throw new InputError(`refusing git URL ${JSON.stringify(url)}: it starts with "-"`);
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) throw new InputError(`refusing remote-helper URL ${url}: <transport>:: URLs run programs`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) return checkSchemeUrl(url, scheme);
  const scp = /^(?:([^@/:]+)@)?([^@/:]+):/.exec(url);
  if (scp && url.includes('@')) {
    if (scp[1]!.startsWith('-') || scp[2]!.startsWith('-')) throw new InputError(`refusing git URL ${url}: user or host starts with "-"`);
    return url;
  }
  const abs = resolve(url);
  if (!existsSync(abs)) throw new InputError(`cannot crawl ${url}: not a URL and no such local path`);
  return pathToFileURL(abs).href;
}

function checkSchemeUrl(url: string, scheme: string): string {
  if (!(GIT_SCHEMES as readonly string[]).includes(scheme)) {
    throw new InputError(`refusing git URL scheme "${scheme}:" (allowed: ${GIT_SCHEMES.join(', ')})`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`cannot crawl ${url}: not a valid URL`);
  }
  if (decodeURIComponent(parsed.hostname).startsWith('-') || decodeURIComponent(parsed.username).startsWith('-')) {
    throw new InputError(`refusing git URL: its user or host starts with "-" (git or ssh would read it as an option)`);
  }
  return url;
}
