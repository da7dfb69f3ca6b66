import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { CorpusError } from '../../pipeline/errors.js';
import { MIGRATIONS, migrate } from '../../corpus/migrations.js';
import { makeTempDir } from '../helpers.js';

test('a new database gets every migration once, in order, in WAL mode', () => {
  const path = join(makeTempDir(), 'c.db');
  const db = openCorpus(path);
  const names = db.prepare('SELECT name FROM migrations ORDER BY name').pluck().all();
  assert.deepEqual(names, MIGRATIONS.map((m) => m.name));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.ok(migrate(db).every((r) => r.status === 'already-applied'));
  db.close();
});

test('reading a missing database is a clear CorpusError, and nothing is created', () => {
  const path = join(makeTempDir(), 'missing.db');
  assert.throws(() => openCorpus(path, { readonly: true }), (e: unknown) => e instanceof CorpusError && /no corpus database/.test(e.message));
});

test('a database from a newer incorpus is refused, not silently used', () => {
  const path = join(makeTempDir(), 'c.db');
  const db = openCorpus(path);
  db.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)').run('9999-from-the-future', 'x');
  assert.throws(() => migrate(db), (e: unknown) => e instanceof CorpusError && /newer incorpus/.test(e.message));
  db.close();
});

test('0017 moves the stage memo into a rowid table and keeps its rows and their uniqueness', async () => {
  const { default: Database } = await import('better-sqlite3');
  const path = join(makeTempDir(), 'old.db');
  // A corpus as the previous release left it: every migration before 0017, one memo row.
  const old = new Database(path);
  old.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((x) => x.name < '0017')) {
    old.exec(m.up);
    old.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)').run(m.name, 'x');
  }
  assert.match(old.prepare("SELECT sql FROM sqlite_master WHERE name = 'stage_memo'").pluck().get() as string, /WITHOUT ROWID/);
  old.prepare('INSERT INTO stage_memo (scope, key, sha256, value) VALUES (?, ?, ?, ?)').run('s', 'k', 'h', Buffer.from([1, 2, 3]));
  old.close();

  const db = openCorpus(path);
  assert.doesNotMatch(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'stage_memo'").pluck().get() as string, /WITHOUT ROWID/);
  assert.deepEqual(db.prepare('SELECT scope, key, sha256, value FROM stage_memo').raw().all(), [['s', 'k', 'h', Buffer.from([1, 2, 3])]]);
  // The memo's writes: OR REPLACE replaces (one row per key), a plain insert of a taken key fails.
  db.prepare('INSERT OR REPLACE INTO stage_memo (scope, key, sha256, value) VALUES (?, ?, ?, ?)').run('s', 'k', 'h2', Buffer.from([9]));
  assert.deepEqual(db.prepare('SELECT sha256 FROM stage_memo').pluck().all(), ['h2']);
  assert.throws(() => db.prepare('INSERT INTO stage_memo (scope, key, sha256, value) VALUES (?, ?, ?, ?)').run('s', 'k', 'h3', Buffer.from([0])), /UNIQUE/);
  // Lookups by (scope, key) use the index, not a scan of the rows.
  const plan = db.prepare("EXPLAIN QUERY PLAN SELECT value FROM stage_memo WHERE scope = 's' AND key IN ('k', 'j')").all() as Array<{ detail: string }>;
  assert.ok(plan.some((r) => /USING INDEX stage_memo_scope_key/.test(r.detail)), JSON.stringify(plan));
  db.close();
});
