import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { exportCorpus } from '../../export/export-corpus.js';
import type { ExportCompression, ExportFormat, FimSpanMode } from '../../export/export-options.js';
import { reassembleFim, type FimMode } from '../../export/fim.js';
import { FIM_PRESET_NAMES, getFimTokens } from '../../export/fim-tokens.js';
import { makeTempDir } from '../helpers.js';
import { buildExportCorpus, SOURCES } from './export-fixture.js';
import { readShard, type ReadRecord } from './export-read.js';

const kernels: Record<string, string> = {};
for (let i = 0; i < 40; i++) kernels[`k/k${i}.cu`] = `// kernel ${i} — ✓\n__global__ void k${i}(float *x) {\n  x[threadIdx.x] *= ${i}.0f;\n}\n`;
const dbPath = buildExportCorpus({ 'acme/chip': SOURCES, 'acme/kernels': kernels });
const KEPT = Object.keys(SOURCES).length + 40;

async function readAll(dir: string): Promise<ReadRecord[]> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ name: string; records: number }> };
  const out: ReadRecord[] = [];
  for (const f of manifest.files) {
    const records = await readShard(join(dir, f.name));
    assert.equal(records.length, f.records, `${f.name}: manifest count`);
    out.push(...records);
  }
  return out;
}

function assertReassembles(records: ReadRecord[], preset: string, label: string): void {
  assert.equal(records.length, KEPT, label);
  for (const r of records) {
    for (const k of ['source', 'repo', 'path', 'lang', 'domain', 'license', 'sha256', 'fim']) assert.ok(k in r.meta, `${label}: meta.${k}`);
    const original = reassembleFim(r.text, r.meta.fim as FimMode | null, getFimTokens(preset));
    assert.equal(sha256Hex(original), r.meta.sha256, `${label}: ${r.meta.path} reassembles exactly`);
  }
}

test('every record reassembles to its source in JSONL (plain, gzip, zstd) and Parquet (none, snappy, gzip, zstd)', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  const combos: Array<[ExportFormat, ExportCompression, string]> = [
    ['jsonl', 'none', 'jsonl'], ['jsonl', 'gzip', 'jsonl.gz'], ['jsonl', 'zstd', 'jsonl.zst'],
    ['parquet', 'none', 'parquet'], ['parquet', 'snappy', 'parquet'], ['parquet', 'gzip', 'parquet'], ['parquet', 'zstd', 'parquet'],
  ];
  for (const [format, compress, ext] of combos) {
    const dir = makeTempDir();
    const s = await exportCorpus(reader, { outDir: dir, format, compress, fimRate: 0.9, seed: 4 });
    assert.equal(s.files[0]!.name, `train-00000.${ext}`);
    const records = await readAll(dir);
    assertReassembles(records, 'starcoder', `${format}/${compress}`);
    const parquet = format === 'parquet';
    if (parquet) assert.ok(records.every((r) => r.meta.fim_middle === null || Array.isArray(r.meta.fim_middle)), 'JSON column reads back as JSON');
    if (compress !== 'none' && !parquet) assert.ok(s.files[0]!.fileBytes < s.files[0]!.bytes, `${compress} shrinks the shard`);
  }
  reader.close();
});

test('every token preset and span mode reassembles', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  for (const preset of FIM_PRESET_NAMES) {
    for (const fimSpans of ['char', 'ast', 'mix'] as FimSpanMode[]) {
      const dir = makeTempDir();
      const s = await exportCorpus(reader, { outDir: dir, fimTokens: preset, fimSpans, fimRate: 1, seed: 9 });
      assertReassembles(await readAll(dir), preset, `${preset}/${fimSpans}`);
      const syntax = s.fimSpans['ast-node'] + s.fimSpans['ast-run'];
      if (fimSpans === 'char') assert.equal(syntax, 0);
      else assert.ok(syntax > KEPT / 2, `${fimSpans}: mostly syntax spans (${syntax}/${KEPT})`);
    }
  }
  reader.close();
});

test('shards rotate at the size limit; output is byte-identical across runs and thread counts', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  for (const format of ['parquet', 'jsonl'] as ExportFormat[]) {
    const [a, b] = [makeTempDir(), makeTempDir()];
    const opts = { format, compress: 'zstd' as const, shardBytes: 3000, fimRate: 0.7, valFraction: 0.5, seed: 11 };
    const one = await exportCorpus(reader, { ...opts, outDir: a, threads: 1 });
    const two = await exportCorpus(reader, { ...opts, outDir: b, threads: 2 });
    assert.ok(one.files.length > 3, `${format}: several shards (${one.files.length})`);
    assert.equal(one.files.reduce((n, f) => n + f.records, 0), KEPT);
    assert.deepEqual(two.files, one.files);
    for (const name of [...one.files.map((f) => f.name), 'manifest.json', 'README.md']) {
      assert.ok(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), `${format}: ${name} identical with 1 and 2 threads`);
    }
    assert.equal((await readAll(a)).length, KEPT);
  }
  reader.close();
});
