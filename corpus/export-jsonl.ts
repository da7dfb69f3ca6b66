import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import type { Db } from './db.js';
import { InputError } from './errors.js';
import { applyFim } from './fim.js';
import { getFimTokens } from './fim-tokens.js';
import { requireCurrentGeneration } from './generations.js';
import { countKeptDocs, iterateKeptDocs } from './kept-docs.js';
import { createRandom } from './seeded-random.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';

export interface ExportOptions {
  outDir: string;
  /** @default 'none' */
  compress?: 'none' | 'gzip';
  /** Share of documents turned into FIM samples (Bavarian et al. 2022 use 0.5–0.9). @default 0.5 */
  fimRate?: number;
  /** Share of FIM samples in SPM rather than PSM order. @default 0.5 */
  spmRate?: number;
  /** FIM token preset. @default 'starcoder' */
  fimTokens?: string;
  /** @default 0 */
  seed?: number;
  /** Uncompressed bytes after which a shard is closed. @default 268435456 (256 MiB) */
  shardBytes?: number;
  progress?: Progress;
}

export interface ExportSummary {
  generation: number;
  outDir: string;
  records: number;
  fim: { psm: number; spm: number; none: number };
  files: Array<{ name: string; records: number; bytes: number }>;
}

const MANIFEST = 'manifest.json';

/**
 * `incorpus export`: the current generation's kept documents as JSONL records
 * (DESIGN.md's contract), FIM applied per document from a stream seeded by
 * seed + document id — so the same corpus and seed give byte-identical files.
 * Shards are written under temporary names and renamed when complete.
 */
export async function exportJsonl(reader: Db, opts: ExportOptions): Promise<ExportSummary> {
  const tokens = getFimTokens(opts.fimTokens ?? 'starcoder');
  const fimOpts = { fimRate: opts.fimRate ?? 0.5, spmRate: opts.spmRate ?? 0.5, tokens };
  const seed = opts.seed ?? 0;
  const compress = opts.compress ?? 'none';
  const shardBytes = opts.shardBytes ?? 256 * 1024 * 1024;
  const progress = opts.progress ?? silentProgress;
  const gen = requireCurrentGeneration(reader);
  prepareOutDir(opts.outDir);
  progress.total(countKeptDocs(reader, gen.id));

  const summary: ExportSummary = { generation: gen.id, outDir: opts.outDir, records: 0, fim: { psm: 0, spm: 0, none: 0 }, files: [] };
  let shard: ShardWriter | null = null;
  const skipped: Record<string, number> = {};
  try {
    for (const doc of iterateKeptDocs(reader, gen.id)) {
      const fim = applyFim(doc.text, createRandom(`${seed}:${doc.id}`), fimOpts);
      if (fim.skipped && fim.skipped !== 'rate') skipped[fim.skipped] = (skipped[fim.skipped] ?? 0) + 1;
      summary.fim[fim.fim ?? 'none']++;
      const meta = { source: doc.source, repo: doc.repo, path: doc.path, lang: doc.lang, domain: doc.domain, license: doc.license, sha256: doc.sha256, fim: fim.fim, commit: doc.commit };
      const line = JSON.stringify({ id: doc.id, text: fim.text, meta }) + '\n';
      if (shard && shard.bytes >= shardBytes) {
        summary.files.push(await shard.close());
        shard = null;
      }
      shard ??= openShard(opts.outDir, summary.files.length, compress);
      await shard.write(line);
      summary.records++;
      progress.tick();
    }
    if (shard) summary.files.push(await shard.close());
    shard = null;
  } finally {
    if (shard) await shard.abort();
    progress.done();
  }
  const manifest = { generation: gen.id, records: summary.records, fim: summary.fim, fimSkipped: skipped, files: summary.files, config: { ...fimOpts, tokens: opts.fimTokens ?? 'starcoder', seed, compress } };
  writeFileSync(join(opts.outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return summary;
}

/** Removes the shards of an earlier export (named in its manifest); never touches other files. */
function prepareOutDir(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, MANIFEST);
  if (!existsSync(manifestPath)) return;
  let old: { files?: Array<{ name?: unknown }> };
  try {
    old = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof old;
  } catch {
    throw new InputError(`${manifestPath} exists but is not an incorpus manifest; choose another --out or remove it`);
  }
  for (const f of old.files ?? []) {
    if (typeof f.name === 'string' && /^train-\d{5}\.jsonl(\.gz)?$/.test(f.name)) rmSync(join(outDir, f.name), { force: true });
  }
  rmSync(manifestPath);
}

interface ShardWriter {
  bytes: number;
  write(line: string): Promise<void>;
  close(): Promise<{ name: string; records: number; bytes: number }>;
  abort(): Promise<void>;
}

function openShard(outDir: string, index: number, compress: 'none' | 'gzip'): ShardWriter {
  const name = `train-${String(index).padStart(5, '0')}.jsonl${compress === 'gzip' ? '.gz' : ''}`;
  const tmp = join(outDir, `.${name}.partial`);
  const file = createWriteStream(tmp);
  const gzip: Gzip | null = compress === 'gzip' ? createGzip({ level: 6 }) : null;
  if (gzip) gzip.pipe(file);
  const sink: Gzip | WriteStream = gzip ?? file;
  let records = 0;
  const finished = once(file, 'close');
  const writer: ShardWriter = {
    bytes: 0,
    async write(line) {
      writer.bytes += Buffer.byteLength(line);
      records++;
      if (!sink.write(line)) await once(sink, 'drain');
    },
    async close() {
      sink.end();
      await finished;
      renameSync(tmp, join(outDir, name));
      return { name, records, bytes: writer.bytes };
    },
    async abort() {
      sink.destroy();
      file.destroy();
      rmSync(tmp, { force: true });
    },
  };
  return writer;
}
