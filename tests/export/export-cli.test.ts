import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runCli } from '../helpers.js';
import { buildExportCorpus, SOURCES } from './export-fixture.js';
import { readShard } from './export-read.js';

const kernels: Record<string, string> = {};
for (let i = 0; i < 12; i++) kernels[`k/k${i}.cu`] = `__global__ void k${i}(float *x) { x[threadIdx.x] += ${i}.0f; }\n`;
const db = buildExportCorpus({ 'acme/chip': SOURCES, 'acme/kernels': kernels, 'acme/fw': { 'main.c': 'int main(void) { return 0; }\n' } }, {
  details: (_repo, path) => (path.endsWith('.c') ? { verification: { status: 'compiles' } } : undefined),
});

test('incorpus export: Parquet with every option, from the command line', async () => {
  const out = join(makeTempDir(), 'ds');
  const r = runCli(['export', '--db', db, '--out', out, '--format', 'parquet', '--compress', 'zstd', '--shard-size', '1k', '--fim-rate', '0.9',
    '--spm-rate', '0.5', '--fim-spans', 'mix', '--ast-ratio', '0.9', '--fim-tokens', 'deepseek', '--val-fraction', '0.4', '--seed', '3',
    '--domain', 'chip-design,gpu-kernel', '--domain', 'embedded', '--lang', 'verilog,systemverilog,cuda,c', '--tokenizer', 'o200k_base', '--threads', '2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { records: number; files: Array<{ name: string }>; tokens: number };
  assert.ok(summary.files.length > 2 && summary.tokens > 0);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.config.domains, ['chip-design', 'embedded', 'gpu-kernel']);
  assert.equal(manifest.config.compress, 'zstd');
  const records = (await Promise.all(summary.files.map((f) => readShard(join(out, f.name))))).flat();
  assert.equal(records.length, summary.records);
  assert.ok(existsSync(join(out, 'README.md')));
});

test('incorpus export: repository samples, --verified, and plain-text summary', () => {
  const out = join(makeTempDir(), 'repo');
  const r = runCli(['export', '--db', db, '--out', out, '--repo-level', '--fim-tokens', 'starcoder2', '--compress', 'gzip']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /exported generation \d+: 3 records/);
  assert.match(r.stdout, /dataset card: .*README\.md/);
  const v = runCli(['export', '--db', db, '--out', join(makeTempDir(), 'v'), '--verified', 'compiles', '--json']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(JSON.parse(v.stdout).records, 2);
});

test('incorpus export: impossible combinations are usage errors; --help shows the defaults', () => {
  const snappy = runCli(['export', '--db', db, '--out', makeTempDir(), '--compress', 'snappy']);
  assert.equal(snappy.status, 2);
  assert.match(snappy.stderr, /snappy is a Parquet codec/);
  const repo = runCli(['export', '--db', db, '--out', makeTempDir(), '--repo-level']);
  assert.equal(repo.status, 2);
  assert.match(repo.stderr, /starcoder2 or qwen2\.5/);
  assert.equal(runCli(['export', '--out', 'x', '--val-fraction', '2']).status, 2);
  const help = runCli(['export', '--help']).stdout.replace(/\s+/g, ' ');
  for (const re of [/--fim-spans <mode>[\s\S]*?default: "mix"/, /--ast-ratio <r>[\s\S]*?default: 0\.9/, /--shard-size <size>[\s\S]*?default: 268435456/, /--compress <codec>[\s\S]*?\(default: none for jsonl, snappy for parquet\)/, /--val-fraction <f>[\s\S]*?default: 0/]) {
    assert.match(help, re);
  }
});
