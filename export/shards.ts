import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../pipeline/errors.js';
import type { ExportConfig } from './export-options.js';
import type { ExportRecord } from './records.js';
import type { ShardFile } from './shard-file.js';
import { jsonlLine } from './jsonl-shard.js';
import { parquetRecordBytes } from './parquet-shard.js';
import type { SplitName } from './splits.js';

/** A finished shard as the manifest lists it; `fileBytes` is its size on disk. */
export interface ShardInfo {
  name: string;
  split: SplitName;
  records: number;
  bytes: number;
  fileBytes: number;
}

export const MANIFEST = 'manifest.json';
export const CARD = 'README.md';
/** Names this exporter writes; only these are removed when a directory is exported into again. */
const SHARD_NAME = /^(train|validation)-\d{5}\.(jsonl(\.gz|\.zst)?|parquet)$/;

/** `train-00000.jsonl.gz`: split first, so Hugging Face's `train-*` / `validation-*` patterns find the splits. */
export function shardName(split: SplitName, index: number, config: Pick<ExportConfig, 'format' | 'compress'>): string {
  const ext = config.format === 'parquet' ? 'parquet' : { none: 'jsonl', gzip: 'jsonl.gz', zstd: 'jsonl.zst', snappy: 'jsonl' }[config.compress];
  return `${split}-${String(index).padStart(5, '0')}.${ext}`;
}

/**
 * One rotating writer per split: a shard is closed once its uncompressed
 * bytes reach `shardBytes`, and every shard is written under a temporary name
 * and renamed when complete, so a crash never leaves a truncated shard that
 * looks finished.
 */
export function createShardSet(outDir: string, config: ExportConfig) {
  const open = new Map<SplitName, { name: string; file: ShardFile }>();
  const counts = new Map<SplitName, number>();
  const done: ShardInfo[] = [];
  const finish = async (split: SplitName): Promise<void> => {
    const cur = open.get(split)!;
    open.delete(split);
    await cur.file.close();
    renameSync(join(outDir, `.${cur.name}.partial`), join(outDir, cur.name));
    done.push({ name: cur.name, split, records: cur.file.records, bytes: cur.file.bytes, fileBytes: statSync(join(outDir, cur.name)).size });
  };
  const start = async (split: SplitName): Promise<{ name: string; file: ShardFile }> => {
    const index = counts.get(split) ?? 0;
    counts.set(split, index + 1);
    const name = shardName(split, index, config);
    const file = await openShardFile(join(outDir, `.${name}.partial`), config);
    const cur = { name, file };
    open.set(split, cur);
    return cur;
  };
  return {
    async write(record: ExportRecord): Promise<void> {
      const split = record.meta.split;
      const cur = open.get(split) ?? (await start(split));
      await cur.file.write(record);
      if (cur.file.bytes >= config.shardBytes) await finish(split);
    },
    /** Closes the open shards; the list is ordered by split, then name. */
    async close(): Promise<ShardInfo[]> {
      for (const split of [...open.keys()].sort()) await finish(split);
      return done.sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    async abort(): Promise<void> {
      for (const [, cur] of open) {
        await cur.file.abort();
        rmSync(join(outDir, `.${cur.name}.partial`), { force: true });
      }
      open.clear();
    },
  };
}

type ShardShape = Pick<ExportConfig, 'format' | 'compress' | 'repoLevel'>;

function openShardFile(path: string, config: ShardShape): Promise<ShardFile> {
  return config.format === 'parquet'
    ? import('./parquet-shard.js').then((m) => m.openParquetShard(path, config.compress, config.repoLevel))
    : import('./jsonl-shard.js').then((m) => m.openJsonlShard(path, config.compress));
}

/**
 * The bytes a record adds to its shard's `bytes` (what --shard-size counts),
 * as the shard writers count them: so the shards of an export can be cut
 * before they are written (one shard job per file, `export --queue`).
 */
export function recordShardBytes(record: ExportRecord, format: ExportConfig['format']): number {
  return format === 'parquet' ? parquetRecordBytes(record) : Buffer.byteLength(jsonlLine(record));
}

/**
 * Writes one whole shard `name` from its records, under a temporary name
 * renamed when complete (as createShardSet does): what an export shard job
 * runs. `tempTag` makes the temporary name unique to the writer.
 */
export async function writeShard(outDir: string, name: string, split: SplitName, config: ShardShape, records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>, tempTag: string): Promise<ShardInfo> {
  const tmp = join(outDir, `.${name}.partial-${tempTag}`);
  const file = await openShardFile(tmp, config);
  try {
    for await (const r of records) await file.write(r);
    await file.close();
  } catch (err) {
    await file.abort();
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, join(outDir, name));
  return { name, split, records: file.records, bytes: file.bytes, fileBytes: statSync(join(outDir, name)).size };
}

/**
 * Makes `outDir` ready: removes the shards an earlier export listed in its
 * manifest (never other files), and refuses to overwrite a README.md that is
 * not an incorpus dataset card.
 */
export function prepareOutDir(outDir: string, cardMarker: string): void {
  mkdirSync(outDir, { recursive: true });
  const card = join(outDir, CARD);
  if (existsSync(card) && !readFileSync(card, 'utf8').includes(cardMarker)) {
    throw new InputError(`${card} exists and is not an incorpus dataset card; choose another --out or move it`);
  }
  const manifestPath = join(outDir, MANIFEST);
  if (!existsSync(manifestPath)) return;
  let old: { files?: Array<{ name?: unknown }> };
  try {
    old = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof old;
  } catch {
    throw new InputError(`${manifestPath} exists but is not an incorpus manifest; choose another --out or remove it`);
  }
  for (const f of old.files ?? []) {
    if (typeof f.name === 'string' && SHARD_NAME.test(f.name)) rmSync(join(outDir, f.name), { force: true });
  }
  rmSync(manifestPath);
}
