import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../corpus/db.js';
import { InputError } from '../pipeline/errors.js';
import type { Progress } from '../pipeline/progress.js';
import { validateRepoName } from './crawl-dir.js';
import { checkGitRef, GIT_ALLOW_PROTOCOL, toFetchUrl } from './git-values.js';
import { ingestTree, type IngestResult } from './ingest-tree.js';
import { makeScratchDir } from './scratch-dir.js';

export interface CrawlGitOptions {
  /** Any git URL, or a path to a local repository. */
  url: string;
  /** Branch, tag or commit. @default the remote's HEAD */
  ref?: string;
  /** @default derived from the URL: owner/name, or the directory name */
  repo?: string;
  /** @default DEFAULT_CRAWL_MAX_BYTES */
  maxBytes?: number;
  /** Limit for each git command, in ms. @default 600000 */
  timeoutMs?: number;
  progress?: Progress;
}

/**
 * `incorpus crawl git`: a shallow fetch of one ref into a scratch directory, then
 * the shared tree ingest; the commit and its time are recorded. Hooks are off,
 * submodules and LFS objects are not fetched, only allow-listed transports are
 * used (never `ext::`), and the URL and ref are checked (git-values.ts) and
 * passed after `--`, so neither can become an option.
 */
export function crawlGit(db: Db, opts: CrawlGitOptions): IngestResult {
  const ref = opts.ref === undefined ? 'HEAD' : checkGitRef(opts.ref);
  const fetchUrl = toFetchUrl(opts.url);
  const shownUrl = redactUrl(fetchUrl);
  const name = validateRepoName(opts.repo ?? repoNameFromUrl(opts.url));
  const work = makeScratchDir('incorpus-git-');
  const git = (args: string[]): string => runGit(args, work, opts.timeoutMs ?? 600_000, fetchUrl, shownUrl);
  try {
    git(['init', '-q', '--', work]);
    git(['-C', work, 'fetch', '--depth', '1', '--no-tags', '--quiet', '--', fetchUrl, ref]);
    git(['-C', work, '-c', 'core.symlinks=true', 'checkout', '-q', '--detach', 'FETCH_HEAD']);
    const commitSha = git(['-C', work, 'rev-parse', 'HEAD']).trim();
    const revisionTime = git(['-C', work, 'log', '-1', '--format=%cI']).trim();
    return ingestTree(db, {
      source: { kind: 'git', uri: shownUrl, ref: opts.ref ?? '' },
      repo: { name, url: shownUrl, commitSha, revisionTime },
      root: work,
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runGit(args: string[], cwd: string, timeoutMs: number, secretUrl: string, shownUrl: string): string {
  const hardened = ['-c', 'protocol.ext.allow=never', '-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false'];
  try {
    return execFileSync('git', [...hardened, ...args], {
      cwd,
      timeout: timeoutMs,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1', GIT_ASKPASS: 'true', GIT_ALLOW_PROTOCOL },
    });
  } catch (err) {
    const e = err as { stderr?: string; code?: string; signal?: string };
    if (e.code === 'ENOENT') throw new InputError('git is not installed; install it (apt-get install git) to crawl git URLs');
    const why = e.signal === 'SIGTERM' ? `timed out after ${timeoutMs} ms` : (e.stderr ?? '').trim().split(secretUrl).join(shownUrl);
    throw new InputError(`git ${args.find((a) => !a.startsWith('-') && a !== cwd) ?? ''} failed for ${shownUrl}: ${why}`, { cause: err });
  }
}

/** Drops user:password@ from a URL so tokens never reach logs or the database. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** `https://host/owner/name.git` → `owner/name`; a local path → its directory name. */
export function repoNameFromUrl(url: string): string {
  const clean = trimTrailingSlashes(redactUrl(url).replace(/[?#][\s\S]*$/, '')).replace(/\.git$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(clean) && !clean.startsWith('file:')) {
    const parts = new URL(clean).pathname.split('/').filter(Boolean);
    return parts.slice(-2).join('/') || basename(clean);
  }
  const scp = /^[^/@]+@[^/:@]+:(.+)$/.exec(clean);
  if (scp) return scp[1]!.split('/').filter(Boolean).slice(-2).join('/');
  return basename(clean.replace(/^file:\/\//, ''));
}

/** `s` without trailing slashes (a loop: `/\/+$/` backtracks quadratically on a run of slashes). */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}
