import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { loadZstd } from '../../export/zstd.js';

export interface ReadRecord {
  id: string;
  text: string;
  meta: Record<string, unknown>;
}

/**
 * Reads a shard back without the exporter's writers: JSONL via zlib or zstd
 * frames, Parquet via hyparquet (an independent reader; pages decompressed
 * with zlib / zstd).
 */
export async function readShard(file: string): Promise<ReadRecord[]> {
  if (file.endsWith('.parquet')) return readParquet(file);
  let raw: Buffer = readFileSync(file);
  if (file.endsWith('.gz')) raw = gunzipSync(raw);
  if (file.endsWith('.zst')) {
    const zstd = await loadZstd();
    raw = Buffer.concat(splitZstdFrames(raw).map((f) => Buffer.from(zstd.decompress(f))));
  }
  return raw.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as ReadRecord);
}

async function readParquet(file: string): Promise<ReadRecord[]> {
  const zstd = await loadZstd();
  const bytes = readFileSync(file);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = (await parquetReadObjects({
    file: buf,
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)), ZSTD: (input: Uint8Array) => zstd.decompress(input) },
  })) as Array<Record<string, unknown>>;
  return rows.map(({ id, text, ...meta }) => ({ id: id as string, text: text as string, meta }));
}

/**
 * Splits concatenated zstd frames (RFC 8878 §3.1.1): the wasm decoder takes one
 * frame at a time, while `zstd -d` reads the whole file as one stream.
 */
export function splitZstdFrames(data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data.readUInt32LE(pos) !== 0xfd2fb528) throw new Error(`no zstd frame at byte ${pos}`);
    const start = pos;
    const fhd = data[pos + 4]!;
    const single = (fhd >> 5) & 1;
    const fcsSize = [single ? 1 : 0, 2, 4, 8][fhd >> 6]!;
    pos += 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + fcsSize;
    for (;;) {
      const header = data.readUIntLE(pos, 3);
      const type = (header >> 1) & 3;
      pos += 3 + (type === 1 ? 1 : header >> 3);
      if (header & 1) break;
    }
    if ((fhd >> 2) & 1) pos += 4;
    frames.push(data.subarray(start, pos));
  }
  return frames;
}
