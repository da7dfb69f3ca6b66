import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { openCorpus } from '../../corpus/db.js';
import { exportCorpus } from '../../export/export-corpus.js';
import type { ExportManifest } from '../../export/manifest.js';
import { createHash } from 'node:crypto';
import { makeTempDir } from '../helpers.js';
import { buildExportCorpus, type Trees } from './export-fixture.js';
import { readShard, type ReadRecord } from './export-read.js';

const trees: Trees = {};
for (let i = 0; i < 30; i++) {
  trees[`org/r${String(i).padStart(2, '0')}`] = {
    [`rtl/m${i}.v`]: `module m${i} (input a, output y);\n  assign y = a ^ 1'b${i % 2};\nendmodule\n`,
    [`src/f${i}.c`]: `int f${i}(int x) {\n  return x * ${i} + 1;\n}\n`,
  };
}
// Forks: one file is a copy of the parent's (dropped as its duplicate), one is their own.
for (const k of [1, 2, 3, 4]) {
  trees[`fork/r0${k}`] = { [`rtl/m${k}.v`]: 'copy', 'src/own.c': `int own${k}(void) { return ${k}; }\n` };
}
// Two kept files in one near-duplicate cluster, in two otherwise unrelated repositories.
trees['lone/a'] = { 'k.c': 'int ka(void) { return 10; }\n' };
trees['lone/b'] = { 'k.c': 'int kb(void) { return 11; }\n' };
const status = (i: number): string | undefined => (['compiles', 'syntax-error', 'missing-dependency', undefined] as const)[i % 4];
const dbPath = buildExportCorpus(trees, {
  duplicateOf: (repo, path) => (repo.startsWith('fork/') && path.endsWith('.v') ? [repo.replace('fork/', 'org/'), path] : undefined),
  details: (repo, path) => {
    if (repo.startsWith('lone/')) return { cluster: 77 };
    const i = Number(/\d+/.exec(path)?.[0] ?? -1);
    const s = repo.startsWith('org/') && path.endsWith('.c') ? status(i) : undefined;
    return s ? { verification: { status: s, tool: 'gcc' } } : undefined;
  },
});

async function exportAll(opts: Parameters<typeof exportCorpus>[1]): Promise<{ records: ReadRecord[]; manifest: ExportManifest }> {
  const reader = openCorpus(dbPath, { readonly: true });
  const s = await exportCorpus(reader, opts);
  reader.close();
  const records: ReadRecord[] = [];
  for (const f of s.files) records.push(...(await readShard(join(opts.outDir, f.name))));
  return { records, manifest: JSON.parse(readFileSync(join(opts.outDir, 'manifest.json'), 'utf8')) as ExportManifest };
}

const splitOf = (records: ReadRecord[]): Map<string, Set<string>> => {
  const m = new Map<string, Set<string>>();
  for (const r of records) m.set(r.meta.repo as string, (m.get(r.meta.repo as string) ?? new Set()).add(r.meta.split as string));
  return m;
};

test('splits: no repository in both, duplicate-linked repositories together, stable across seeds and filters', async () => {
  const { records, manifest } = await exportAll({ outDir: makeTempDir(), valFraction: 0.3, seed: 1 });
  const splits = splitOf(records);
  for (const [repo, s] of splits) assert.equal(s.size, 1, `${repo} is in one split`);
  const one = (repo: string): string => [...splits.get(repo)!][0]!;
  for (const k of [1, 2, 3, 4]) assert.equal(one(`fork/r0${k}`), one(`org/r0${k}`), `fork ${k} follows its parent`);
  assert.equal(one('lone/a'), one('lone/b'), 'a shared near-dup cluster links repositories');
  const val = records.filter((r) => r.meta.split === 'validation').length;
  assert.ok(val > 0 && val < records.length, `validation holds some records (${val}/${records.length})`);
  assert.equal(manifest.splitPlan.linkedRepos, 10);
  for (const f of manifest.files) assert.match(f.name, new RegExp(`^${f.split}-\\d{5}\\.jsonl$`));
  // Another seed and a language filter change FIM, never the split of a repository.
  const again = splitOf((await exportAll({ outDir: makeTempDir(), valFraction: 0.3, seed: 99, langs: ['c'] })).records);
  for (const [repo, s] of again) assert.deepEqual(s, splits.get(repo), repo);
});

test('a duplicate-linked group bigger than the validation budget stays in train', async () => {
  // A hub whose group key hashes into validation, with ten repositories vendoring its file.
  const hub = Array.from({ length: 50 }, (_, i) => `hub${i}/x`).find((k) => unitHash(`split:${k}`) < 0.5)!;
  const t: Trees = { [hub]: { 'v.c': 'int vendored(void) { return 0; }\n' } };
  for (let i = 0; i < 10; i++) t[`${hub}-user${i}`] = { 'v.c': 'copy', [`own${i}.c`]: `int own${i}(void) { return ${i}; }\n` };
  for (let i = 0; i < 6; i++) t[`solo/s${i}`] = { 's.c': `int s${i}(void) { return ${i}; }\n` };
  const db = buildExportCorpus(t, { duplicateOf: (repo, path) => (repo.includes('-user') && path === 'v.c' ? [hub, 'v.c'] : undefined) });
  const reader = openCorpus(db, { readonly: true });
  const dir = makeTempDir();
  const s = await exportCorpus(reader, { outDir: dir, valFraction: 0.5 });
  reader.close();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
  assert.equal(manifest.splitPlan.oversizedGroups, 1);
  assert.equal(manifest.splitPlan.linkedRepos, 11);
  const records = (await Promise.all(s.files.map((f) => readShard(join(dir, f.name))))).flat();
  assert.ok(records.filter((r) => (r.meta.repo as string).startsWith(hub)).every((r) => r.meta.split === 'train'));
  const { manifest: none } = await exportAll({ outDir: makeTempDir(), valFraction: 0 });
  assert.deepEqual(Object.keys(none.splits), ['train']);
});

test('--domain, --lang and --verified select documents', async () => {
  const v = await exportAll({ outDir: makeTempDir(), verified: ['compiles'] });
  assert.equal(v.records.length, 8);
  assert.ok(v.records.every((r) => r.meta.lang === 'c' && /^org\//.test(r.meta.repo as string)));
  assert.deepEqual(v.records.map((r) => Number(/\d+/.exec(r.meta.path as string)![0]) % 4).filter((x) => x !== 0), []);
  const two = await exportAll({ outDir: makeTempDir(), verified: ['compiles', 'missing-dependency'] });
  assert.equal(two.records.length, 15);
  const hdl = await exportAll({ outDir: makeTempDir(), langs: ['verilog'] });
  assert.equal(hdl.records.length, 30);
  const chip = await exportAll({ outDir: makeTempDir(), domains: ['chip-design'] });
  assert.deepEqual(new Set(chip.records.map((r) => r.meta.domain)), new Set(['chip-design']));
  assert.equal(chip.manifest.config.domains[0], 'chip-design');
});

test('token counts per split, domain and language (js-tiktoken cl100k_base), and a dataset card', async () => {
  const dir = makeTempDir();
  const { records, manifest } = await exportAll({ outDir: dir, valFraction: 0.3, tokenizer: 'cl100k_base', format: 'parquet' });
  const enc = new Tiktoken(cl100k);
  const expected = records.reduce((n, r) => n + enc.encode(r.text, [], []).length, 0);
  assert.equal(manifest.tokens, expected);
  const sum = (by: Record<string, Record<string, { tokens?: number }>>): number =>
    Object.values(by).flatMap((per) => Object.values(per)).reduce((n, t) => n + (t.tokens ?? 0), 0);
  assert.equal(sum(manifest.byDomain), expected);
  assert.equal(sum(manifest.byLang), expected);
  assert.equal((manifest.splits.train?.tokens ?? 0) + (manifest.splits.validation?.tokens ?? 0), expected);
  assert.equal(manifest.corpus.generation, manifest.generation);
  const card = readFileSync(join(dir, 'README.md'), 'utf8');
  assert.match(card, /^---\n[\s\S]*configs:\n- config_name: default\n {2}data_files:\n {2}- split: train\n {4}path: "train-\*\.parquet"\n {2}- split: validation\n {4}path: "validation-\*\.parquet"\n---\n/);
  assert.match(card, /\| train \| \d+ \| [\d.]+ MB \| [\d,]+ \|/);
  assert.match(card, /## By language[\s\S]*\| verilog \|/);
  // A re-export replaces our card, but never someone else's README.
  await exportAll({ outDir: dir });
  const foreign = makeTempDir();
  (await import('node:fs')).writeFileSync(join(foreign, 'README.md'), '# my notes\n');
  const reader = openCorpus(dbPath, { readonly: true });
  await assert.rejects(exportCorpus(reader, { outDir: foreign }), /not an incorpus dataset card/);
  reader.close();
});

/** The split rule's hash, restated here from its documentation (48 bits of SHA-256 as a fraction). */
function unitHash(s: string): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 12), 16) / 2 ** 48;
}
