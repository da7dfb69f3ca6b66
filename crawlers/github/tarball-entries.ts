import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../pipeline/errors.js';
import type { RawFileInput } from '../../corpus/raw-store.js';
import { classifyContent } from '../read-raw-file.js';

/** The archive as a whole cannot be trusted: nothing from it is kept. */
export class ArchiveRejectedError extends InputError {
  override name = 'ArchiveRejectedError';
}

export interface TarballLimits {
  /** Entries above this are recorded as too-large and never buffered. */
  maxFileBytes: number;
  /** Decompressed bytes after which the archive is a gzip bomb and rejected. */
  maxArchiveBytes: number;
  /** Entries after which the archive is rejected. */
  maxEntries: number;
  /** Language filter on the path; false → the entry is drained unread and not recorded. */
  keep: (path: string) => boolean;
}

export type TarEvent =
  | { kind: 'file'; file: RawFileInput }
  | { kind: 'skip'; path: string; reason: string }
  | { kind: 'filtered'; path: string };

/**
 * Reads a repository tarball (`owner-repo-sha/…`, as GitHub's codeload serves
 * it) as a stream: gunzip with a running byte budget, tar-stream for entries.
 * Nothing touches the filesystem, so a hostile name cannot write anywhere; names
 * that would escape the root on extraction are still skipped with a reason,
 * because downstream tools (verification, export by path) must never see them.
 */
export async function* readTarball(source: Readable, limits: TarballLimits): AsyncGenerator<TarEvent> {
  const { extract } = await import('tar-stream');
  const ex = extract();
  let inflated = 0;
  const budget = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inflated += chunk.length;
      if (inflated > limits.maxArchiveBytes) {
        cb(new ArchiveRejectedError(`archive inflates past ${limits.maxArchiveBytes} bytes (gzip bomb or oversized repository)`));
      } else cb(null, chunk);
    },
  });
  // A broken download is not a hostile archive: it fails the repository for a later retry.
  let sourceFailed = false;
  source.once('error', () => (sourceFailed = true));
  const fail = (err: unknown): Error =>
    sourceFailed && !(err instanceof ArchiveRejectedError)
      ? new InputError(`download interrupted: ${(err as Error)?.message ?? String(err)}`, { cause: err })
      : asRejection(err);
  const piping = pipeline(source, createGunzip(), budget, ex).catch((err: unknown) => {
    ex.destroy(err as Error);
    return err;
  });
  let entries = 0;
  let root: string | null = null;
  try {
    for await (const entry of ex) {
      if (++entries > limits.maxEntries) throw new ArchiveRejectedError(`archive has more than ${limits.maxEntries} entries`);
      const h = entry.header;
      // The top directory comes from the first well-formed name, so a hostile first entry cannot choose it.
      if (root === null && typeof safeRelativePath(h.name, h.name.split('/')[0]!) === 'string') root = h.name.split('/')[0]!;
      const path = safeRelativePath(h.name, root ?? '');
      if (typeof path !== 'string') {
        yield { kind: 'skip', path: h.name, reason: path.reason };
        entry.resume();
      } else if (h.type === 'directory' || path === '') {
        entry.resume();
      } else if (h.type === 'file' || h.type === 'contiguous-file') {
        yield* readFileEntry(entry as unknown as Readable, path, h.size ?? 0, limits);
      } else {
        yield { kind: 'file', file: describeNonFile(path, h.type, h.linkname ?? null) };
        entry.resume();
      }
    }
  } catch (err) {
    // Our own verdict wins; otherwise the pipeline's error says more than "premature close".
    if (err instanceof ArchiveRejectedError) throw err;
    throw fail((await settle(piping)) ?? err);
  }
  const failed = await piping;
  if (failed) throw fail(failed);
}

async function* readFileEntry(entry: Readable, path: string, size: number, limits: TarballLimits): AsyncGenerator<TarEvent> {
  if (!limits.keep(path)) {
    entry.resume();
    yield { kind: 'filtered', path };
    return;
  }
  if (size > limits.maxFileBytes) {
    entry.resume();
    yield { kind: 'file', file: { path, size, status: 'too-large', reason: `${size} bytes is over the crawl cap of ${limits.maxFileBytes} bytes` } };
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of entry) chunks.push(c as Buffer);
  yield { kind: 'file', file: classifyContent(path, Buffer.concat(chunks)) };
}

function describeNonFile(path: string, type: string | null | undefined, link: string | null): RawFileInput {
  if (type === 'symlink') return { path, size: 0, status: 'symlink', reason: `symbolic link to ${JSON.stringify(link)} (not followed)` };
  if (type === 'link') return { path, size: 0, status: 'special', reason: `hard link to ${JSON.stringify(link)} (not followed)` };
  return { path, size: 0, status: 'special', reason: `${type ?? 'unknown'} entry (not a regular file)` };
}

/**
 * The entry's path below the archive's top directory, or why it is refused:
 * absolute paths, `..` segments, drive letters, backslashes used as separators,
 * control characters, and entries outside the top directory.
 */
export function safeRelativePath(name: string, root: string): string | { reason: string } {
  if (/[\x00-\x1f]/.test(name)) return { reason: 'control character in entry name' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.startsWith('\\')) return { reason: `absolute path ${JSON.stringify(name)}` };
  const parts = name.split(/[/\\]/);
  if (parts.includes('..')) return { reason: `path ${JSON.stringify(name)} escapes the archive root` };
  if (parts[0] !== root) return { reason: `entry ${JSON.stringify(name)} outside the archive's top directory` };
  return parts.slice(1).filter((p) => p !== '' && p !== '.').join('/');
}

async function settle(p: Promise<unknown>): Promise<unknown> {
  const timeout = new Promise((r) => setTimeout(r, 50, undefined));
  return Promise.race([p, timeout]);
}

function asRejection(err: unknown): Error {
  if (err instanceof ArchiveRejectedError) return err;
  const msg = (err as Error)?.message ?? String(err);
  return new ArchiveRejectedError(`corrupt or unreadable archive: ${msg}`, { cause: err });
}
