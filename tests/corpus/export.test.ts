import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openCorpus } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { exportJsonl } from '../../corpus/export-jsonl.js';
import { reassembleFim } from '../../corpus/fim.js';
import { FIM_PRESET_NAMES, getFimTokens } from '../../corpus/fim-tokens.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { rebuild } from '../../pipeline/rebuild.js';
import { makeTempDir, writeSampleRepo, writeTree } from '../helpers.js';

async function builtCorpus(): Promise<string> {
  const dbPath = join(makeTempDir(), 'c.db');
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeSampleRepo(makeTempDir()), repo: 'acme/soc' });
  const many: Record<string, string> = {};
  for (let i = 0; i < 60; i++) many[`k/k${i}.cu`] = `// kernel ${i} — ünïcode ✓ 🚀\n__global__ void k${i}(float *x) { x[threadIdx.x] *= ${i}.0f; }\n`;
  crawlDir(db, { path: writeTree(makeTempDir(), many), repo: 'acme/kernels' });
  db.close();
  await rebuild(dbPath);
  return dbPath;
}

const readRecords = (file: string): Array<{ id: string; text: string; meta: Record<string, unknown> }> => {
  const raw = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
  return raw.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
};

test('export follows the JSONL contract and every FIM record reassembles to its source, for every preset', async () => {
  const dbPath = await builtCorpus();
  const reader = openCorpus(dbPath, { readonly: true });
  for (const preset of FIM_PRESET_NAMES) {
    const out = makeTempDir();
    const s = await exportJsonl(reader, { outDir: out, fimTokens: preset, fimRate: 0.9, seed: 7 });
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
  const dbPath = await builtCorpus();
  const reader = openCorpus(dbPath, { readonly: true });
  const [a, b, c] = [makeTempDir(), makeTempDir(), makeTempDir()];
  await exportJsonl(reader, { outDir: a, seed: 1, compress: 'gzip' });
  await exportJsonl(reader, { outDir: b, seed: 1, compress: 'gzip' });
  await exportJsonl(reader, { outDir: c, seed: 2, compress: 'gzip' });
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
    await rebuild(dbPath);
    const reader = openCorpus(dbPath, { readonly: true });
    const dir = makeTempDir();
    await exportJsonl(reader, { outDir: dir, seed: 3 });
    reader.close();
    return readFileSync(join(dir, 'train-00000.jsonl'));
  };
  assert.ok((await out(['x', 'y'])).equals(await out(['y', 'x'])));
});

test('shards rotate at the size limit and a re-export replaces the old shards', async () => {
  const dbPath = await builtCorpus();
  const reader = openCorpus(dbPath, { readonly: true });
  const dir = makeTempDir();
  const many = await exportJsonl(reader, { outDir: dir, shardBytes: 2000 });
  assert.ok(many.files.length > 3);
  assert.equal(many.files.reduce((n, f) => n + f.records, 0), 64);
  const one = await exportJsonl(reader, { outDir: dir });
  assert.equal(one.files.length, 1);
  assert.throws(() => readFileSync(join(dir, 'train-00001.jsonl')), /ENOENT/);
  reader.close();
});
