import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInReadTransaction, openCorpus } from '../../corpus/db.js';
import { readBlob } from '../../corpus/blobs.js';
import { iterateKeptDocs } from '../../corpus/kept-docs.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { spdxText } from '../filters/filter-fixtures.js';
import { makeTempDir, runCli, writeTree } from '../helpers.js';

const NO_VERIFY = () => mergeConfig({ verify: { enabled: false } });

/** Trailing spaces and CRLF: normalization refines the file, so each generation stores a refined blob of its own. */
const refinable = (n: number): string => `module top${n} (input a, output y);   \r\n  assign y = a ^ 1'b${n % 2};   \r\nendmodule\r\n`;

function hashDir(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

/** The refined (exported) blob of `path` in generation `gen`. */
function outBlob(dbPath: string, gen: number, path: string): string {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT v.out_sha256 FROM verdicts v JOIN files f ON f.id = v.file_id WHERE v.gen_id = ? AND f.path = ?').pluck().get(gen, path) as string;
  } finally {
    db.close();
  }
}

function blobExists(dbPath: string, sha: string): boolean {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    return readBlob(db, sha) !== null;
  } finally {
    db.close();
  }
}

test('the last K generations stay explainable and exportable (--generation), older ones are pruned and their refined blobs collected', async () => {
  const dir = makeTempDir();
  const dbPath = join(dir, 'c.db');
  const tree = writeTree(join(dir, 'tree'), { LICENSE: spdxText('MIT'), 'rtl/top.v': refinable(1), 'rtl/keep.v': 'module keep; endmodule\n' });
  const env = { INCORPUS_DB: dbPath };
  const gens: number[] = [];
  const refined: string[] = [];
  const exports: Array<Record<string, string>> = [];
  for (let n = 1; n <= 3; n++) {
    if (n > 1) writeFileSync(join(tree, 'rtl/top.v'), refinable(n));
    const db = openCorpus(dbPath);
    crawlDir(db, { path: tree, repo: 'acme/core' });
    db.close();
    const s = await rebuild(dbPath, { config: NO_VERIFY(), keepGenerations: 2 });
    gens.push(s.generation);
    refined.push(outBlob(dbPath, s.generation, 'rtl/top.v'));
    const out = join(dir, `out-${n}`);
    assert.equal(runCli(['export', '--out', out, '--fim-rate', '0.5', '--seed', '1'], { env }).status, 0);
    exports.push(hashDir(out));
    if (n === 3) {
      assert.deepEqual(s.cleanup.pruned, [gens[0]], 'retention 2: the oldest of three is pruned');
      assert.ok(s.cleanup.blobs.blobs >= 1, JSON.stringify(s.cleanup));
    }
  }
  assert.equal(new Set(refined).size, 3, 'each generation refined a different text');
  assert.equal(blobExists(dbPath, refined[0]!), false, "generation 1's refined blob is collected with it");
  assert.ok(blobExists(dbPath, refined[1]!) && blobExists(dbPath, refined[2]!), 'retained generations keep theirs');

  // An older retained generation exports byte for byte what it exported when it was current.
  const old = join(dir, 'out-old');
  const r = runCli(['export', '--out', old, '--fim-rate', '0.5', '--seed', '1', '--generation', String(gens[1])], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(hashDir(old), exports[1]);
  assert.notDeepEqual(exports[1], exports[2]);
  const pruned = runCli(['export', '--out', join(dir, 'x'), '--generation', String(gens[0])], { env });
  assert.equal(pruned.status, 1);
  assert.match(pruned.stderr, new RegExp(`generation ${gens[0]} was pruned by retention .*retained: ${gens[2]}, ${gens[1]}`));

  // why and stats read the same older generation: its verdict is for the row it judged.
  const why = JSON.parse(runCli(['why', 'acme/core:rtl/top.v', '--json', '--generation', String(gens[1])], { env }).stdout);
  assert.equal(why.generation, gens[1]);
  assert.equal(why.verdict.generation, gens[1]);
  assert.equal(why.crawl.current, false, 'the row generation 2 judged was superseded by the third crawl');
  assert.match(runCli(['why', 'acme/core:rtl/top.v', '--generation', String(gens[1])], { env }).stdout, /superseded by a later crawl\)\n  verdict: KEPT in generation \d+/);
  const stats = JSON.parse(runCli(['stats', '--json', '--generation', String(gens[1])], { env }).stdout);
  assert.equal(stats.generation.id, gens[1]);
  assert.deepEqual(stats.retained, [gens[2], gens[1]]);
  assert.deepEqual(stats.pending, { generation: gens[1], added: 1, retired: 1 }, 'the third crawl is not in generation 2');
  assert.equal(runCli(['why', 'acme/core:rtl/top.v', '--generation', '99'], { env }).status, 1);
});

test('an export reading a generation keeps its snapshot while a rebuild prunes that generation and collects its blobs', async () => {
  const dir = makeTempDir();
  const dbPath = join(dir, 'c.db');
  const tree = writeTree(join(dir, 'tree'), { LICENSE: spdxText('MIT'), 'rtl/top.v': refinable(1) });
  const crawl = (): void => {
    const db = openCorpus(dbPath);
    crawlDir(db, { path: tree, repo: 'acme/core' });
    db.close();
  };
  crawl();
  const first = await rebuild(dbPath, { config: NO_VERIFY(), keepGenerations: 1 });
  const blob = outBlob(dbPath, first.generation, 'rtl/top.v');
  const reader = openCorpus(dbPath, { readonly: true });
  const texts = await runInReadTransaction(reader, async () => {
    const before = [...iterateKeptDocs(reader, first.generation)].length;
    writeFileSync(join(tree, 'rtl/top.v'), refinable(2));
    crawl();
    const second = await rebuild(dbPath, { config: NO_VERIFY(), keepGenerations: 1 });
    assert.deepEqual(second.cleanup.pruned, [first.generation]);
    assert.ok(second.cleanup.blobs.blobs >= 1);
    const during = [...iterateKeptDocs(reader, first.generation)];
    assert.equal(during.length, before, 'the reader still sees every kept document of the pruned generation');
    return during.map((d) => d.text);
  });
  reader.close();
  assert.ok(texts.some((t) => t.includes('top1')), 'with its refined text');
  assert.equal(blobExists(dbPath, blob), false, 'outside that read transaction the blob is gone');
});
