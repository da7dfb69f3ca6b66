import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { currentGeneration } from '../../corpus/generations.js';
import { explainDoc } from '../../corpus/inspect.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { spdxText } from '../filters/filter-fixtures.js';
import { KEEP_UNLICENSED, makeTempDir, startCli, writeSampleRepo, writeTree } from '../helpers.js';

/** The sample repositories carry no license; these tests are about the rebuild, so the policy keeps them. */
const keepUnlicensed = () => mergeConfig(KEEP_UNLICENSED);

function crawlSamples(dbPath: string): void {
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeSampleRepo(makeTempDir()), repo: 'acme/soc' });
  crawlDir(db, { path: writeSampleRepo(makeTempDir(), ' fork'), repo: 'zed/soc-fork' });
  db.close();
}

const verdictsOf = (dbPath: string) => {
  const db = openCorpus(dbPath, { readonly: true });
  const gen = currentGeneration(db)!;
  const rows = db
    .prepare('SELECT f.doc_id, v.verdict, v.stage, v.reason, v.details, v.lang, v.domain FROM verdicts v JOIN files f ON f.id = v.file_id WHERE v.gen_id = ? ORDER BY f.doc_id')
    .all(gen.id);
  db.close();
  return rows;
};

test('rebuild gives every file a verdict, keeps the first copy by the keep rule, and is repeatable', async () => {
  const dbPath = join(makeTempDir(), 'c.db');
  crawlSamples(dbPath);
  const s1 = await rebuild(dbPath, { threads: 2, config: keepUnlicensed() });
  assert.equal(s1.seen, 10);
  assert.equal(s1.droppedBy['validate/binary'], 2);
  assert.equal(s1.droppedBy['exact-dedup/exact-duplicate'], 3, 'shared.v, axpy.cu and main.c are identical in the fork');
  // Near-dedup (issue 6): the fork's counter.v differs from upstream's only in a comment word.
  assert.equal(s1.droppedBy['near-dedup/near-duplicate'], 1, 'counter.v of the fork is a near-duplicate');
  assert.equal(s1.kept, 4);
  const first = verdictsOf(dbPath);
  const s2 = await rebuild(dbPath, { threads: 1, config: keepUnlicensed(), force: true });
  assert.equal(s2.generation, s1.generation + 1);
  assert.deepEqual(verdictsOf(dbPath), first, 'same raw data + config → same verdicts, whatever the thread count');

  const db = openCorpus(dbPath, { readonly: true });
  const dup = explainDoc(db, 'zed/soc-fork:cuda/axpy.cu')!;
  assert.equal(dup.verdict?.verdict, 'drop');
  assert.equal(dup.verdict?.reason, 'exact-duplicate');
  assert.equal(dup.verdict?.details?.repo, 'acme/soc', 'keep rule: name order breaks the tie between equal repositories');
  const bin = explainDoc(db, 'acme/soc:blob.bin')!;
  assert.equal(bin.verdict?.stage, 'validate');
  assert.equal(bin.verdict?.reason, 'binary');
  const kept = explainDoc(db, 'acme/soc:cuda/axpy.cu')!;
  assert.equal(kept.verdict?.verdict, 'keep');
  assert.equal(kept.verdict?.lang, 'cuda');
  assert.equal(kept.verdict?.domain, 'gpu-kernel');
  db.close();
});

test('validation thresholds come from config, and the config is recorded with the generation', async () => {
  const dbPath = join(makeTempDir(), 'c.db');
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeTree(makeTempDir(), { 'wide.v': `// ${'x'.repeat(300)}\nmodule w; endmodule\n`, 'ok.v': 'module ok; endmodule\n' }), repo: 'r' });
  db.close();
  const s = await rebuild(dbPath, { config: mergeConfig({ ...KEEP_UNLICENSED, validate: { maxLineLength: 200 } }) });
  assert.equal(s.droppedBy['validate/max-line-length'], 1);
  const reader = openCorpus(dbPath, { readonly: true });
  const gen = currentGeneration(reader)!;
  assert.equal((gen.config as { stages: { validate: { maxLineLength: number } } }).stages.validate.maxLineLength, 200);
  reader.close();
});

test('a rebuild killed midway leaves the previous generation intact; the next one completes', async () => {
  const dbPath = join(makeTempDir(), 'c.db');
  const files: Record<string, string> = { LICENSE: spdxText('MIT') };
  // Port names carry i so every 5-token shingle is unique to its file: near-dedup (issue 6) must keep all 400.
  for (let i = 0; i < 400; i++) files[`rtl/m${i}.v`] = `module m${i}(input a${i}, output y${i});\n  assign y${i} = a${i} ^ ${i % 2};\nendmodule\n`;
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeTree(makeTempDir(), files), repo: 'big' });
  db.close();
  const good = await rebuild(dbPath);
  const before = verdictsOf(dbPath);

  const child = startCli(['--db', dbPath, 'rebuild', '--force'], { env: { INCORPUS_DEBUG_DELAY_MS: '30' } });
  const reader = openCorpus(dbPath, { readonly: true });
  // Wait until the new generation has written some verdicts, then kill -9.
  for (let i = 0; i < 500; i++) {
    const n = reader.prepare("SELECT count(*) FROM verdicts v JOIN generations g ON g.id = v.gen_id WHERE g.status = 'building'").pluck().get() as number;
    if (n > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const building = reader.prepare("SELECT count(*) FROM generations WHERE status = 'building'").pluck().get();
  assert.equal(building, 1, 'the rebuild was still running when killed');
  child.kill('SIGKILL');
  await once(child, 'exit');

  assert.equal(currentGeneration(reader)!.id, good.generation, 'readers still see the previous generation');
  reader.close();
  assert.deepEqual(verdictsOf(dbPath), before);

  const next = await rebuild(dbPath);
  assert.equal(next.abandoned, 1, 'the half-written generation is cleaned up');
  assert.equal(next.seen, 401);
  assert.deepEqual(verdictsOf(dbPath), before);
});
