import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus, type Db } from '../../corpus/db.js';
import { InputError } from '../../pipeline/errors.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { makeTempDir, writeTree } from '../helpers.js';

function fileRows(db: Db) {
  return db.prepare('SELECT path, status, reason, sha256, current FROM files ORDER BY path, id').all() as Array<{
    path: string; status: string; reason: string | null; sha256: string | null; current: number;
  }>;
}

test('crawl dir records hostile and odd files with a reason and never follows links', () => {
  const root = writeTree(makeTempDir(), {
    'ok.v': 'module m; endmodule\n',
    'firmware.bin': Buffer.from([1, 2, 0, 3]),
    'latin1.c': Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]), // "// é" in Latin-1: invalid UTF-8
    'utf16.txt': Buffer.from([0xff, 0xfe, 0x68, 0x00]),
    'big.v': 'x'.repeat(2048),
  });
  symlinkSync('/etc/passwd', join(root, 'passwd-link'));
  symlinkSync('..', join(root, 'up'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), '[core]\n');
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const r = crawlDir(db, { path: root, repo: 'acme/hostile', maxBytes: 1024 });
  const rows = Object.fromEntries(fileRows(db).map((f) => [f.path, f]));
  assert.equal(rows['ok.v']?.status, 'ok');
  assert.equal(rows['firmware.bin']?.status, 'binary');
  assert.match(rows['firmware.bin']?.reason ?? '', /NUL byte/);
  assert.equal(rows['latin1.c']?.status, 'bad-encoding');
  assert.equal(rows['utf16.txt']?.status, 'bad-encoding');
  assert.match(rows['utf16.txt']?.reason ?? '', /UTF-16/);
  assert.equal(rows['big.v']?.status, 'too-large');
  assert.equal(rows['big.v']?.sha256, null, 'over-cap content is not stored');
  assert.equal(rows['passwd-link']?.status, 'symlink');
  assert.equal(rows['up']?.status, 'symlink');
  assert.equal(rows['.git/config'], undefined, '.git is provenance, not content');
  assert.equal(r.counts.seen, 7);
  const blobs = db.prepare('SELECT count(*) FROM blobs').pluck().get();
  assert.equal(blobs, 1, 'only the valid text file is stored');
  db.close();
});

test('re-crawling the same source adds nothing; changes add rows and retire old ones', () => {
  const root = writeTree(makeTempDir(), { 'a.v': 'module a; endmodule\n', 'b.v': 'module b; endmodule\n', 'c.v': 'module c; endmodule\n' });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  crawlDir(db, { path: root, repo: 'r' });
  const before = fileRows(db);
  const again = crawlDir(db, { path: root, repo: 'r' });
  assert.deepEqual(fileRows(db), before);
  assert.deepEqual([again.counts.added, again.counts.changed, again.counts.unchanged, again.counts.removed], [0, 0, 3, 0]);

  writeFileSync(join(root, 'a.v'), 'module a2; endmodule\n');
  rmSync(join(root, 'c.v'));
  const third = crawlDir(db, { path: root, repo: 'r' });
  assert.deepEqual([third.counts.added, third.counts.changed, third.counts.unchanged, third.counts.removed], [0, 1, 1, 1]);
  const rows = fileRows(db);
  assert.equal(rows.filter((f) => f.path === 'a.v').length, 2, 'the old revision is kept, not overwritten');
  assert.deepEqual(rows.filter((f) => f.current === 1).map((f) => f.path), ['a.v', 'b.v']);
  db.close();
});

test('crawl dir refuses a missing path and a bad repository name with InputError', () => {
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  assert.throws(() => crawlDir(db, { path: '/no/such/dir' }), InputError);
  assert.throws(() => crawlDir(db, { path: makeTempDir(), repo: 'a:b' }), InputError);
  db.close();
});
