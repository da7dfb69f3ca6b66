import { sha256Hex } from './doc-id.js';
import { BLOB_CODEC, compressBlob, decompressBlob } from './blobs.js';
import type { EncodedText, StoredBlob } from '../pipeline/doc-patch.js';

/**
 * The blob codec as worker steps use it (pipeline/task-worker.ts loads this
 * module by URL): texts are decoded and refined texts compressed on the
 * worker threads, so neither inflate nor deflate loads the main thread.
 */
export function decodeDocText(blob: StoredBlob): string {
  return decompressBlob(blob.codec, blob.data).toString('utf8');
}

export function encodeDocText(text: string): EncodedText {
  const bytes = Buffer.from(text, 'utf8');
  return { sha256: sha256Hex(bytes), size: bytes.length, blob: { codec: BLOB_CODEC, data: compressBlob(bytes) } };
}

/** The URL workers import the codec from. */
export const TEXT_CODEC_MODULE = new URL('./text-codec.js', import.meta.url).href;
