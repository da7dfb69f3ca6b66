import { createHash } from 'node:crypto';

/**
 * The stable id of a document: the same repository and path give the same id in
 * every generation and every export, whatever order things were crawled in.
 */
export function makeDocId(repo: string, path: string): string {
  return createHash('sha256').update(repo).update('\0').update(path).digest('hex').slice(0, 16);
}

/** The sha256 of bytes or text, hex. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
