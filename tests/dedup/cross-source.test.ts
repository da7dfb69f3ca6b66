import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { makeTempDir, runCli } from '../helpers.js';
import { addRepo, makeVerilog } from './fixtures.js';

const FILE = makeVerilog('paper-source', 60);
/** 12 statements cut from the middle of FILE, re-indented as a PDF extraction would. */
const CUT = FILE.split('\n').slice(20, 32).map((l) => l.trim()).join('\n');

test('a literature snippet contained in a kept repository file is dropped with a link to it; others stay', async () => {
  const dbPath = join(makeTempDir(), 'c.db');
  const db = openCorpus(dbPath);
  addRepo(db, { name: 'hw/fifo', stars: 3, files: { 'rtl/fifo.v': FILE } });
  // The literature crawler's shape: one pdf source, a repository per document, a file per snippet.
  addRepo(db, {
    name: 'pdf/textbook.pdf',
    source: { kind: 'pdf', uri: '/papers/textbook.pdf' },
    files: { 'p12-listing-1.v': CUT, 'p40-listing-2.v': makeVerilog('book-only', 12), 'p41-tiny.v': 'assign y = a;' },
  });
  db.close();
  const s = await rebuild(dbPath, { threads: 2 });
  assert.equal(s.droppedBy['near-dedup/contained-in-repository'], 1, JSON.stringify(s.droppedBy));

  const env = { INCORPUS_DB: dbPath };
  const why = JSON.parse(runCli(['why', 'pdf/textbook.pdf:p12-listing-1.v', '--json'], { env }).stdout);
  assert.equal(why.verdict.reason, 'contained-in-repository');
  assert.equal(`${why.verdict.details.repo}:${why.verdict.details.path}`, 'hw/fifo:rtl/fifo.v');
  assert.ok(why.verdict.details.containment >= 0.8, String(why.verdict.details.containment));
  assert.match(runCli(['why', 'pdf/textbook.pdf:p12-listing-1.v'], { env }).stdout, /duplicate of: hw\/fifo:rtl\/fifo\.v/);
  for (const kept of ['pdf/textbook.pdf:p40-listing-2.v', 'pdf/textbook.pdf:p41-tiny.v', 'hw/fifo:rtl/fifo.v']) {
    assert.equal(JSON.parse(runCli(['why', kept, '--json'], { env }).stdout).verdict.verdict, 'keep', kept);
  }
  const dups = JSON.parse(runCli(['dups', '--json'], { env }).stdout);
  const c = dups.clusters.find((x: { kind: string }) => x.kind === 'contained-snippet');
  assert.equal(`${c.kept.repo}:${c.kept.path}`, 'hw/fifo:rtl/fifo.v');
  assert.deepEqual(c.members.map((m: { path: string }) => m.path).sort(), ['p12-listing-1.v', 'rtl/fifo.v']);
});
