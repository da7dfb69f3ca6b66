import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Db } from '../corpus/db.js';
import { InputError } from '../pipeline/errors.js';
import type { Progress } from '../pipeline/progress.js';
import { ingestTree, type IngestResult } from './ingest-tree.js';

export interface CrawlDirOptions {
  path: string;
  /** Repository name to record. @default the directory's base name */
  repo?: string;
  /** @default DEFAULT_CRAWL_MAX_BYTES */
  maxBytes?: number;
  progress?: Progress;
}

/** `incorpus crawl dir`: a local directory becomes one repository in the raw store. */
export function crawlDir(db: Db, opts: CrawlDirOptions): IngestResult {
  const root = resolve(opts.path);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new InputError(`cannot crawl ${opts.path}: no such directory`);
  }
  if (!isDir) throw new InputError(`cannot crawl ${opts.path}: not a directory`);
  const name = validateRepoName(opts.repo ?? basename(root));
  return ingestTree(db, {
    source: { kind: 'dir', uri: root },
    repo: { name },
    root,
    ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
}

/** Repository names become part of `repo:path` lookups, so ':' and control characters are refused. */
export function validateRepoName(name: string): string {
  if (name.length === 0 || name.length > 200 || /[:\x00-\x1f]/.test(name)) {
    throw new InputError(`invalid repository name ${JSON.stringify(name)}: 1-200 characters, no ':' or control characters`);
  }
  return name;
}
