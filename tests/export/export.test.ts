import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openCorpus } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { exportCorpus } from '../../export/export-corpus.js';
import { reassembleFim } from '../../export/fim.js';
import { FIM_PRESET_NAMES, getFimTokens } from '../../export/fim-tokens.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { makeTempDir, writeSampleRepo, writeTree, KEEP_UNLICENSED } from '../helpers.js';
import { buildExportCorpus } from './export-fixture.js';

/** The foundation's test corpus (64 kept files), built with the export fixture: a full rebuild now runs every stage. */
function builtCorpus(): string {
  const many: Record<string, string> = {};
  for (let i = 0; i < 60; i++) many[`k/k${i}.cu`] = `// kernel ${i} — ünïcode ✓ 🚀\n__global__ void k${i}(float *x) { x[threadIdx.x] *= ${i}.0f; }\n`;
  const soc = {
    'rtl/counter.v': 'module counter #(parameter W = 8) (input clk, input rst, output reg [W-1:0] q);\n  always @(posedge clk) if (rst) q <= 0; else q <= q + 1;\nendmodule\n',
    'rtl/shared.v': 'module shared_buf (input a, output y);\n  assign y = a;\nendmodule\n',
    'cuda/axpy.cu': '__global__ void axpy(float a, const float *x, float *y, int n) {\n  int i = blockIdx.x * blockDim.x + threadIdx.x;\n  if (i < n) y[i] = a * x[i] + y[i];\n}\n',
    'fw/main.c': '#include "stm32f4xx.h"\nint main(void) {\n  RCC->AHB1ENR |= 1u << 3;\n  for (;;) { GPIOD->ODR ^= 1u << 12; }\n}\n',
  };
  return buildExportCorpus({ 'acme/soc': soc, 'acme/kernels': many });
}

const readRecords = (file: string): Array<{ id: string; text: string; meta: Record<string, unknown> }> => {
  const raw = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
  return raw.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
};

test('export follows the JSONL contract and every FIM record reassembles to its source, for every preset', async () => {
  const dbPath = builtCorpus();
  const reader = openCorpus(dbPath, { readonly: true });
  for (const preset of FIM_PRESET_NAMES) {
    const out = makeTempDir();
    const s = await exportCorpus(reader, { format: 'jsonl', outDir: out, fimTokens: preset, fimRate: 0.9, seed: 7 });
    assert.equal(s.records, 64);
    const records = readRecords(join(out, 'train-00000.jsonl'));
    assert.equal(records.length, 64);
    let fims = 0;
    for (const r of records) {
      assert.deepEqual(Object.keys(r), ['id', 'text', 'meta']);
      for (const k of ['source', 'repo', 'path', 'lang', 'domain', 'license', 'sha256', 'fim']) assert.ok(k in r.meta, `meta.${k}`);
      assert.ok(r.meta.fim === 'psm' || r.meta.fim === 'spm' || r.meta.fim === null);
      if (r.meta.fim) fims++;
      const original = reassembleFim(r.text, r.meta.fim as 'psm' | 'spm' | null, getFimTokens(preset));
      assert.equal(sha256Hex(original), r.meta.sha256, `${preset}: record ${r.id} reassembles exactly`);
    }
    assert.ok(fims > 40, `fim-rate 0.9 gives mostly FIM records (${fims}/64)`);
  }
  reader.close();
});

test('the same corpus and seed give byte-identical files; another seed does not', async () => {
  const dbPath = builtCorpus();
  const reader = openCorpus(dbPath, { readonly: true });
  const [a, b, c] = [makeTempDir(), makeTempDir(), makeTempDir()];
  await exportCorpus(reader, { format: 'jsonl', outDir: a, seed: 1, compress: 'gzip' });
  await exportCorpus(reader, { format: 'jsonl', outDir: b, seed: 1, compress: 'gzip' });
  await exportCorpus(reader, { format: 'jsonl', outDir: c, seed: 2, compress: 'gzip' });
  const file = 'train-00000.jsonl.gz';
  assert.ok(readFileSync(join(a, file)).equals(readFileSync(join(b, file))));
  assert.equal(readFileSync(join(a, 'manifest.json'), 'utf8'), readFileSync(join(b, 'manifest.json'), 'utf8'));
  assert.ok(!readFileSync(join(a, file)).equals(readFileSync(join(c, file))));
  reader.close();
});

test('a rebuild with a different crawl order exports the same bytes', async () => {
  const out = async (order: string[]): Promise<Buffer> => {
    const dbPath = join(makeTempDir(), 'c.db');
    const db = openCorpus(dbPath);
    const trees = { x: writeSampleRepo(makeTempDir()), y: writeTree(makeTempDir(), { 'a.v': 'module a; endmodule\n' }) };
    for (const name of order) crawlDir(db, { path: trees[name as 'x' | 'y'], repo: name });
    db.close();
    await rebuild(dbPath, { config: mergeConfig(KEEP_UNLICENSED) });
    const reader = openCorpus(dbPath, { readonly: true });
    const dir = makeTempDir();
    await exportCorpus(reader, { format: 'jsonl', outDir: dir, seed: 3 });
    reader.close();
    return readFileSync(join(dir, 'train-00000.jsonl'));
  };
  assert.ok((await out(['x', 'y'])).equals(await out(['y', 'x'])));
});

test('shards rotate at the size limit and a re-export replaces the old shards', async () => {
  const dbPath = builtCorpus();
  const reader = openCorpus(dbPath, { readonly: true });
  const dir = makeTempDir();
  const many = await exportCorpus(reader, { format: 'jsonl', outDir: dir, shardBytes: 2000 });
  assert.ok(many.files.length > 3);
  assert.equal(many.files.reduce((n, f) => n + f.records, 0), 64);
  const one = await exportCorpus(reader, { format: 'jsonl', outDir: dir });
  assert.equal(one.files.length, 1);
  assert.throws(() => readFileSync(join(dir, 'train-00001.jsonl')), /ENOENT/);
  reader.close();
});
