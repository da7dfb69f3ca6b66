import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { sha256Hex } from '../../corpus/doc-id.js';
import { exportCorpus } from '../../export/export-corpus.js';
import type { RepoSampleFile } from '../../export/records.js';
import { orderByDependencies } from '../../export/repo-deps.js';
import { splitRepoSample } from '../../export/repo-level.js';
import { UsageError } from '../../pipeline/errors.js';
import { getFimTokens } from '../../export/fim-tokens.js';
import { makeTempDir } from '../helpers.js';
import { buildExportCorpus, SOURCES } from './export-fixture.js';
import { readShard } from './export-read.js';

const ODD = 'x/odd.py';
const dbPath = buildExportCorpus({
  'acme/chip': { ...SOURCES, [ODD]: '# mentions <file_sep> and <|file_sep|>\nx = 1\n' },
  'acme/small': { 'a.c': '#include "b.h"\nint a(void) { return b(); }\n', 'b.h': 'static inline int b(void) { return 2; }\n' },
});

test('repository samples: dependency order, StarCoder2 and Qwen2.5 layouts, every file reassembles', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  for (const [preset, head] of [['starcoder2', '<repo_name>acme/chip<file_sep>'], ['qwen2.5', '<|repo_name|>acme/chip\n<|file_sep|>']] as const) {
    for (const format of ['jsonl', 'parquet'] as const) {
      const dir = makeTempDir();
      const s = await exportCorpus(reader, { outDir: dir, format, repoLevel: true, fimTokens: preset, fimRate: 0.8, seed: 2 });
      assert.equal(s.records, 2);
      assert.equal(s.repoExcluded, 1, 'the file holding the repository tokens is left out');
      const records = await readShard(join(dir, s.files[0]!.name));
      const chip = records.find((r) => r.meta.repo === 'acme/chip')!;
      assert.ok(chip.text.startsWith(head), `${preset}: ${JSON.stringify(chip.text.slice(0, 40))}`);
      assert.equal(chip.meta.kind, 'repo');
      const files = chip.meta.files as RepoSampleFile[];
      const paths = files.map((f) => f.path);
      assert.ok(!paths.includes(ODD));
      assert.equal(paths.length, Object.keys(SOURCES).length);
      const before = (a: string, b: string): boolean => paths.indexOf(a) < paths.indexOf(b);
      assert.ok(before('rtl/fifo.v', 'rtl/top.sv'), 'instantiated module first');
      assert.ok(before('fw/board.h', 'fw/main.c'), 'included header first');
      assert.ok(before('cad/util.py', 'cad/part.py'), 'imported module first');
      assert.ok(files.some((f) => f.fim !== null) && files.some((f) => f.fim_span?.startsWith('ast')), 'FIM per file, with syntax spans');
      for (const r of records) {
        const fs = r.meta.files as RepoSampleFile[];
        const originals = splitRepoSample(r.text, fs, getFimTokens(preset));
        originals.forEach((o, k) => assert.equal(sha256Hex(o.text), fs[k]!.sha256, `${preset}/${format}: ${o.path} reassembles`));
      }
    }
  }
  reader.close();
});

test('a repository larger than --repo-sample-size is cut between files, in order, each part reassembling', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  for (const format of ['jsonl', 'parquet'] as const) {
    const dir = makeTempDir();
    const s = await exportCorpus(reader, { outDir: dir, format, repoLevel: true, fimTokens: 'starcoder2', repoSampleBytes: 300, seed: 5 });
    const records = (await readShard(join(dir, s.files[0]!.name))).filter((r) => r.meta.repo === 'acme/chip');
    assert.ok(records.length > 2, `${records.length} parts`);
    assert.deepEqual(records.map((r) => Number(r.meta.part)).sort(), records.map((_, k) => k));
    const paths = records.sort((a, b) => Number(a.meta.part) - Number(b.meta.part)).flatMap((r) => (r.meta.files as RepoSampleFile[]).map((f) => f.path));
    assert.equal(paths.length, Object.keys(SOURCES).length);
    assert.ok(paths.indexOf('rtl/fifo.v') < paths.indexOf('rtl/top.sv'));
    for (const r of records) {
      assert.ok(r.text.startsWith('<repo_name>acme/chip<file_sep>'));
      const fs = r.meta.files as RepoSampleFile[];
      splitRepoSample(r.text, fs, getFimTokens('starcoder2')).forEach((o, k) => assert.equal(sha256Hex(o.text), fs[k]!.sha256));
    }
    assert.equal(new Set(records.map((r) => r.id)).size, records.length, 'parts have distinct ids');
  }
  reader.close();
});

test('--repo-level needs a preset with repository tokens', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  await assert.rejects(exportCorpus(reader, { outDir: makeTempDir(), repoLevel: true, fimTokens: 'starcoder' }), (e: unknown) => e instanceof UsageError && /starcoder2 or qwen2\.5/.test(e.message));
  reader.close();
});

test('dependency order: ready files by path first, a cycle is broken at the smallest path', () => {
  const files = [
    { path: 'a.h', lang: 'c', text: '#include "b.h"\n' },
    { path: 'b.h', lang: 'c', text: '#include "a.h"\n' },
    { path: 'c.c', lang: 'c', text: '#include "inc/d.h"\n' },
    { path: 'inc/d.h', lang: 'c', text: 'int d;\n' },
    { path: 'pkg/__init__.py', lang: 'python', text: '' },
    { path: 'pkg/run.py', lang: 'python', text: 'from . import util\n' },
    { path: 'pkg/util.py', lang: 'python', text: 'X = 1\n' },
    { path: 'tb.sv', lang: 'systemverilog', text: 'import bus_pkg::*;\nmodule tb; core u0 (.clk(clk)); endmodule\n' },
    { path: 'z/bus_pkg.sv', lang: 'systemverilog', text: 'package bus_pkg; endpackage\n' },
    { path: 'z/core.v', lang: 'verilog', text: 'module core(input clk); endmodule\n' },
  ];
  const order = orderByDependencies(files).map((i) => files[i]!.path);
  assert.equal(order.length, files.length);
  const before = (a: string, b: string): boolean => order.indexOf(a) < order.indexOf(b);
  // Files ready first (no unmet dependency), by path; then the cycle a.h <-> b.h breaks at a.h.
  assert.deepEqual(order.slice(0, 2), ['inc/d.h', 'c.c']);
  assert.ok(before('a.h', 'b.h'));
  assert.ok(before('inc/d.h', 'c.c') && before('pkg/util.py', 'pkg/run.py') && before('z/bus_pkg.sv', 'tb.sv') && before('z/core.v', 'tb.sv'), order.join(' '));
});

test('the manifest and card describe a repository-level export', async () => {
  const reader = openCorpus(dbPath, { readonly: true });
  const dir = makeTempDir();
  await exportCorpus(reader, { outDir: dir, repoLevel: true, fimTokens: 'qwen2.5' });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.config.repoLevel, true);
  assert.equal(manifest.config.tokens.fileSep, '<|file_sep|>');
  assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /one sample per repository, files in dependency order/);
  reader.close();
});
