import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { ExportCompression } from './export-options.js';
import type { ExportRecord } from './records.js';
import type { ShardFile } from './shard-file.js';
import { loadZstd } from './zstd.js';

/**
 * zstd frames are cut every this many uncompressed bytes. A multi-frame file
 * is valid zstd (RFC 8878 §3.1: "one or more frames"); `zstd -d`, Python's
 * zstandard and Rust's zstd read it as one stream. The wasm build we use has
 * no streaming API, and one frame per shard would hold a whole shard in memory.
 */
const ZSTD_FRAME_BYTES = 4 * 1024 * 1024;
/** zstd level 3 is the library default: most of the ratio at a fraction of the time of level 19. */
const ZSTD_LEVEL = 3;

/** One record as its JSONL line (key order fixed by the record's construction). */
export function jsonlLine(record: ExportRecord): string {
  return JSON.stringify(record) + '\n';
}

/** A JSONL shard (plain, gzip, or zstd) written to `path`, one record per line. */
export async function openJsonlShard(path: string, compress: ExportCompression): Promise<ShardFile> {
  const file = createWriteStream(path);
  const finished = once(file, 'close');
  finished.catch(() => {});
  const gzip = compress === 'gzip' ? createGzip({ level: 6 }) : null;
  if (gzip) gzip.pipe(file);
  const zstd = compress === 'zstd' ? await loadZstd() : null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const sink = gzip ?? file;
  const push = async (chunk: Buffer | string): Promise<void> => {
    if (!sink.write(chunk)) await once(sink, 'drain');
  };
  const flushFrame = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const frame = Buffer.from(zstd!.compress(Buffer.concat(pending, pendingBytes), ZSTD_LEVEL));
    pending = [];
    pendingBytes = 0;
    await push(frame);
  };
  const shard: ShardFile = {
    records: 0,
    bytes: 0,
    async write(record: ExportRecord) {
      const line = jsonlLine(record);
      const n = Buffer.byteLength(line);
      shard.bytes += n;
      shard.records++;
      if (!zstd) return push(line);
      pending.push(Buffer.from(line));
      pendingBytes += n;
      if (pendingBytes >= ZSTD_FRAME_BYTES) await flushFrame();
    },
    async close() {
      if (zstd) await flushFrame();
      sink.end();
      await finished;
    },
    async abort() {
      sink.destroy();
      file.destroy();
    },
  };
  return shard;
}
