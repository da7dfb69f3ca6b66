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
