import type { ExportRecord } from './records.js';

/** One open shard file; `records` and `bytes` (uncompressed record bytes) count what was written. */
export interface ShardFile {
  records: number;
  bytes: number;
  write(record: ExportRecord): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
