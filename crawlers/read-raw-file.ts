import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { RawFileInput } from '../corpus/raw-store.js';
import type { DirEntry } from './walk-dir.js';

/** Git's binary heuristic: a NUL byte in the first 8000 bytes (xdiff's buffer_is_binary). */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Turns a walked path into a raw-store record: content for valid UTF-8 text, and
 * a status with a reason for everything else (symlink, special file, over the
 * crawl cap, binary, UTF-16 or otherwise not UTF-8, unreadable).
 */
export function readRawFile(entry: DirEntry, maxBytes: number): RawFileInput {
  const base = { path: entry.relPath, size: entry.size };
  if (entry.kind === 'symlink') return { ...base, status: 'symlink', reason: 'symbolic link (not followed)' };
  if (entry.kind === 'special') return { ...base, status: 'special', reason: 'not a regular file (device, fifo or socket)' };
  if (entry.size > maxBytes) {
    return { ...base, status: 'too-large', reason: `${entry.size} bytes is over the crawl cap of ${maxBytes} bytes` };
  }
  let content: Buffer;
  try {
    content = readFileSync(entry.absPath);
  } catch (err) {
    return { ...base, status: 'unreadable', reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  return classifyContent(entry.relPath, content);
}

/** Classifies bytes already in memory (shared by every crawler). */
export function classifyContent(path: string, content: Buffer): RawFileInput {
  const base = { path, size: content.length };
  if (hasUtf16Bom(content)) return { ...base, status: 'bad-encoding', reason: 'UTF-16 text (byte order mark); only UTF-8 is stored' };
  const sniff = content.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { ...base, status: 'binary', reason: `NUL byte at offset ${sniff.indexOf(0)} (binary file)` };
  if (!isUtf8(content)) return { ...base, status: 'bad-encoding', reason: 'not valid UTF-8' };
  return { ...base, status: 'ok', content };
}

function hasUtf16Bom(b: Buffer): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}
