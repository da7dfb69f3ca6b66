import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { beginGeneration, commitGeneration, currentGeneration } from '../../corpus/generations.js';
import { createVerdictWriter } from '../../corpus/verdicts.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { spdxText } from '../filters/filter-fixtures.js';
import { makeTempDir, runCli, startCli, writeTree } from '../helpers.js';

const NO_VERIFY = () => mergeConfig({ verify: { enabled: false } });

/** A licensed tree of `n` distinct Verilog modules (every 5-gram unique, so near-dedup keeps them all). */
function writeModules(root: string, n: number, tag = ''): string {
  const files: Record<string, string> = { LICENSE: spdxText('MIT') };
  for (let i = 0; i < n; i++) files[`rtl/m${i}.v`] = `module m${i}${tag}(input a${i}, output y${i});\n  assign y${i} = a${i} ^ ${i % 2};\nendmodule\n`;
  return writeTree(root, files);
}

type Row = { fileId: number; path: string; current: number };

/** Every file row of the repository with whether generation `gen` has a verdict for it. */
function rowsWithVerdicts(dbPath: string, gen: number): Array<Row & { judged: number }> {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    return db
      .prepare(`SELECT f.id AS fileId, f.path, f.current, EXISTS (SELECT 1 FROM verdicts v WHERE v.gen_id = ? AND v.file_id = f.id) AS judged
                FROM files f ORDER BY f.id`)
      .all(gen) as never;
  } finally {
    db.close();
  }
}

async function waitForVerdicts(dbPath: string): Promise<void> {
  const reader = openCorpus(dbPath, { readonly: true });
  try {
    for (let i = 0; i < 1000; i++) {
      const n = reader.prepare("SELECT count(*) FROM verdicts v JOIN generations g ON g.id = v.gen_id WHERE g.status = 'building'").pluck().get() as number;
      if (n > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the rebuild never wrote a verdict');
  } finally {
    reader.close();
  }
}

test('a crawl in another process during a rebuild goes to the next generation: verdicts cover the pinned snapshot row by row', async () => {
  const dir = makeTempDir();
  const dbPath = join(dir, 'c.db');
  const tree = writeModules(join(dir, 'tree'), 300);
  const db = openCorpus(dbPath);
  crawlDir(db, { path: tree, repo: 'acme/core' });
  db.close();

  const child = startCli(['--db', dbPath, 'rebuild', '--no-verify', '--json'], { env: { INCORPUS_DEBUG_DELAY_MS: '100' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  await waitForVerdicts(dbPath);
  // Second process, while the rebuild runs: one file changed, one removed, one added (the file count stays the same).
  writeFileSync(join(tree, 'rtl/m5.v'), 'module m5_changed(input a, output y);\n  assign y = ~a;\nendmodule\n');
  rmSync(join(tree, 'rtl/m7.v'));
  writeFileSync(join(tree, 'rtl/new.v'), 'module fresh(input a, output y);\n  assign y = a;\nendmodule\n');
  const crawl = runCli(['--db', dbPath, 'crawl', 'dir', tree, '--repo', 'acme/core']);
  assert.equal(crawl.status, 0, crawl.stderr);
  assert.match(crawl.stdout, /1 added, 1 changed/);
  assert.equal(child.exitCode, null, 'the crawl committed while the rebuild was still running');
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0, err);
  const summary = JSON.parse(out) as { generation: number; seen: number };
  assert.equal(summary.seen, 301, 'the rebuild saw the snapshot of its start: 300 modules and the LICENSE');

  const rows = rowsWithVerdicts(dbPath, summary.generation);
  const byPath = (p: string) => rows.filter((r) => r.path === p);
  assert.deepEqual(byPath('rtl/m5.v').map((r) => [r.current, r.judged]), [[0, 1], [1, 0]], 'the retired row was judged, its replacement waits');
  assert.deepEqual(byPath('rtl/m7.v').map((r) => [r.current, r.judged]), [[0, 1]]);
  assert.deepEqual(byPath('rtl/new.v').map((r) => [r.current, r.judged]), [[1, 0]]);
  assert.equal(rows.filter((r) => r.judged).length, 301);

  const env = { INCORPUS_DB: dbPath };
  const stats = JSON.parse(runCli(['stats', '--json'], { env }).stdout);
  assert.deepEqual(stats.pending, { generation: summary.generation, added: 2, retired: 2 });
  assert.match(runCli(['stats'], { env }).stdout, /raw changes not in generation \d+: 2 new file rows, 2 retired/);
  const why = JSON.parse(runCli(['why', 'acme/core:rtl/m5.v', '--json'], { env }).stdout);
  assert.equal(why.verdict.verdict, 'keep', 'why shows the row the generation judged');
  assert.equal(why.crawl.current, false);
  assert.match(runCli(['why', 'acme/core:rtl/new.v'], { env }).stdout, /none in generation \d+ \(crawled after its rebuild started/);

  const next = await rebuild(dbPath, { config: NO_VERIFY() });
  assert.equal(next.seen, 301);
  assert.deepEqual(JSON.parse(runCli(['stats', '--json'], { env }).stdout).pending, { generation: next.generation, added: 0, retired: 0 });
  assert.equal(JSON.parse(runCli(['why', 'acme/core:rtl/new.v', '--json'], { env }).stdout).verdict.verdict, 'keep');
});

test('the commit check is per row: a verdict for a row outside the snapshot never stands in for a missing one', () => {
  const dir = makeTempDir();
  const dbPath = join(dir, 'c.db');
  const tree = writeModules(join(dir, 'tree'), 3);
  const db = openCorpus(dbPath);
  crawlDir(db, { path: tree, repo: 'r' });
  const genId = beginGeneration(db, {});
  // A crawl after the snapshot: m0 changes (retire + insert), so the current file count stays 4.
  writeFileSync(join(tree, 'rtl/m0.v'), 'module other(input a, output y);\n  assign y = a;\nendmodule\n');
  crawlDir(db, { path: tree, repo: 'r' });
  const current = db.prepare('SELECT id FROM files WHERE current = 1 ORDER BY id').pluck().all() as number[];
  const writer = createVerdictWriter(db, genId);
  for (const fileId of current) writer.write({ fileId, verdict: 'keep', stage: null, reason: 'kept', lang: 'verilog', domain: 'general', outSha256: null });
  writer.flush();
  // Same count as the current files (the old check passed): one verdict for the new row, none for the retired one.
  assert.throws(() => commitGeneration(db, genId, {}), /does not match its raw snapshot \(no verdict for r:rtl\/m0\.v; 1 verdicts for files outside it\)/);
  assert.equal(currentGeneration(db), null, 'nothing was swapped in');
  db.close();
});

test('one rebuild at a time: a second one is refused while the first runs, and a killed one is taken over', async () => {
  const dir = makeTempDir();
  const dbPath = join(dir, 'c.db');
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeModules(join(dir, 'tree'), 400), repo: 'r' });
  db.close();
  // 40 pauses of 250 ms: the first rebuild runs for 10 s or more, long after the second has started, even on a loaded machine.
  const first = startCli(['--db', dbPath, 'rebuild', '--no-verify'], { env: { INCORPUS_DEBUG_DELAY_MS: '250' } });
  await waitForVerdicts(dbPath);
  const second = runCli(['--db', dbPath, 'rebuild', '--no-verify']);
  assert.equal(first.exitCode, null, 'the first rebuild was still running when the second one ended');
  assert.equal(second.status, 1, second.stdout);
  assert.match(second.stderr, /another rebuild is running \(pid \d+/);
  first.kill('SIGKILL');
  await once(first, 'exit');
  const third = runCli(['--db', dbPath, 'rebuild', '--no-verify']);
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stdout, /cleaned up 1 generation\(s\) left by an interrupted rebuild/);
});
