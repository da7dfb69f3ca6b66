import { gzipSync } from 'node:zlib';
import type { ColumnSource } from 'hyparquet-writer';
import type { ExportCompression } from './export-options.js';
import type { ExportRecord, RecordMeta } from './records.js';
import type { ShardFile } from './shard-file.js';
import { loadZstd } from './zstd.js';

/**
 * Rows per row group, and a cap on their text. Readers (datasets, duckdb,
 * pyarrow) stream by row group, so a group should fit comfortably in memory;
 * ~64 MiB is within the 128 MiB–1 GiB range Parquet's docs suggest for
 * analytics, leaning small because code records are read sequentially.
 */
const ROW_GROUP_ROWS = 10_000;
const ROW_GROUP_BYTES = 64 * 1024 * 1024;

type Column = { name: keyof RecordMeta | 'id' | 'text'; type: 'STRING' | 'JSON' | 'INT32'; get(r: ExportRecord): unknown };
const meta = (name: keyof RecordMeta, type: Column['type'] = 'STRING'): Column => ({ name, type, get: (r) => r.meta[name] ?? null });

/** Flat columns (what Hugging Face datasets and duckdb show as fields); `files` only for repository samples. */
function columnsFor(repoLevel: boolean): Column[] {
  const cols: Column[] = [
    { name: 'id', type: 'STRING', get: (r) => r.id },
    { name: 'text', type: 'STRING', get: (r) => r.text },
    ...(['kind', 'source', 'repo', 'path', 'lang', 'domain', 'license', 'sha256', 'fim', 'commit', 'split', 'fim_span'] as const).map((n) => meta(n)),
    meta('fim_middle', 'JSON'),
  ];
  return repoLevel ? [...cols, meta('part', 'INT32'), meta('files', 'JSON')] : cols;
}

/**
 * What a record counts toward --shard-size: about the JSONL measure (text +
 * metadata bytes, without JSON escaping), so the option means nearly the same
 * in both formats without serializing the text twice.
 */
export function parquetRecordBytes(record: ExportRecord): number {
  return Buffer.byteLength(record.text) + Buffer.byteLength(JSON.stringify(record.meta)) + record.id.length;
}

/** A Parquet shard written with hyparquet-writer, one row group per buffered batch. */
export async function openParquetShard(path: string, compress: ExportCompression, repoLevel: boolean): Promise<ShardFile> {
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import('hyparquet-writer');
  const columns = columnsFor(repoLevel);
  const toColumnData = (rows: ExportRecord[]): ColumnSource[] =>
    columns.map((c) => ({ name: c.name, type: c.type, nullable: true, data: rows.map((r) => c.get(r)) as ColumnSource['data'] }));
  const codec = compress === 'none' ? 'UNCOMPRESSED' : compress === 'gzip' ? 'GZIP' : compress === 'zstd' ? 'ZSTD' : 'SNAPPY';
  const zstd = compress === 'zstd' ? await loadZstd() : null;
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: schemaFromColumnData({ columnData: toColumnData([]) }),
    codec,
    compressors: {
      GZIP: (input: Uint8Array) => gzipSync(input),
      ...(zstd ? { ZSTD: (input: Uint8Array) => zstd.compress(input, 3) } : {}),
    },
    // Min/max of code text says nothing useful and costs a copy per page.
    statistics: false,
    createdBy: 'incorpus',
  });
  let rows: ExportRecord[] = [];
  let rowBytes = 0;
  const flush = async (): Promise<void> => {
    if (rows.length === 0) return;
    await writer.write({ columnData: toColumnData(rows), rowGroupSize: rows.length });
    rows = [];
    rowBytes = 0;
  };
  const shard: ShardFile = {
    records: 0,
    bytes: 0,
    async write(record) {
      const n = parquetRecordBytes(record);
      shard.bytes += n;
      shard.records++;
      rows.push(record);
      rowBytes += n;
      if (rows.length >= ROW_GROUP_ROWS || rowBytes >= ROW_GROUP_BYTES) await flush();
    },
    async close() {
      await flush();
      await writer.finish();
    },
    async abort() {
      rows = [];
    },
  };
  return shard;
}
