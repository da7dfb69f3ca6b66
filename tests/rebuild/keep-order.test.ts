import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { explainDoc } from '../../corpus/inspect.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { requireReal, spdxText } from '../filters/filter-fixtures.js';
import { makeVerilog, editLines } from '../dedup/fixtures.js';
import { makeTempDir, writeTree } from '../helpers.js';

/**
 * The issue-12 case: an unlicensed student copy with many stars against a
 * Solderpad-licensed original, and a header-stripped copy of a real
 * `Apache-2.0 WITH LLVM-exception` file. The keep rule must follow the
 * configured license policy in exact dedup, near-dedup and fork families.
 */
function buildCorpus(): string {
  const pstlPath = requireReal('/usr/include/c++/12/pstl/algorithm_fwd.h', 'libstdc++-12-dev');
  const pstl = readFileSync(pstlPath, 'utf8');
  const alu = makeVerilog('alu', 60);
  const fifo = makeVerilog('fifo', 60);
  const dbPath = join(makeTempDir(), 'c.db');
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeTree(makeTempDir(), { LICENSE: spdxText('SHL-0.51'), 'rtl/alu.v': alu, 'rtl/fifo.v': fifo }), repo: 'pulp/alu' });
  crawlDir(db, { path: writeTree(makeTempDir(), { 'hw/alu.v': alu, 'hw/fifo.v': editLines(fifo, 2, 'student') }), repo: 'aaa/student-alu' });
  crawlDir(db, { path: writeTree(makeTempDir(), { 'include/pstl/algorithm_fwd.h': pstl }), repo: 'llvm/pstl' });
  // The copy drops the license header (first 8 lines): near-identical, no license evidence left.
  crawlDir(db, { path: writeTree(makeTempDir(), { 'algorithm_fwd.h': pstl.split('\n').slice(8).join('\n') }), repo: 'aaa/pstl-copy' });
  // Stars as a hosting API would report them: the unlicensed copies are the popular ones.
  db.prepare("UPDATE repos SET stars = 900, forks = 40, revision_time = '2030-01-01T00:00:00Z' WHERE name LIKE 'aaa/%'").run();
  db.prepare("UPDATE repos SET stars = 3 WHERE name NOT LIKE 'aaa/%'").run();
  db.close();
  return dbPath;
}

const verdictOf = (dbPath: string, key: string) => {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    return explainDoc(db, key)!.verdict!;
  } finally {
    db.close();
  }
};

test('the keep order follows the configured license policy: Solderpad and LLVM-exception originals beat popular unlicensed copies', async () => {
  const dbPath = buildCorpus();
  // Default policy: the unlicensed copies never reach dedup.
  await rebuild(dbPath, { config: mergeConfig({ verify: { enabled: false } }) });
  assert.equal(verdictOf(dbPath, 'aaa/student-alu:hw/alu.v').reason, 'license-none');
  assert.equal(verdictOf(dbPath, 'llvm/pstl:include/pstl/algorithm_fwd.h').details?.license, 'Apache-2.0 WITH LLVM-exception');
  assert.equal(verdictOf(dbPath, 'pulp/alu:rtl/alu.v').verdict, 'keep');

  // Unlicensed files kept: ranked below permissive (allowed) copies, whatever their stars, forks and names.
  await rebuild(dbPath, { config: mergeConfig({ verify: { enabled: false }, license: { noLicense: 'keep' } }) });
  const exact = verdictOf(dbPath, 'aaa/student-alu:hw/alu.v');
  assert.equal(exact.reason, 'exact-duplicate');
  assert.equal(exact.details?.repo, 'pulp/alu', 'exact dedup keeps the Solderpad copy');
  const near = verdictOf(dbPath, 'aaa/student-alu:hw/fifo.v');
  assert.equal(near.reason, 'near-duplicate');
  assert.equal(`${near.details?.repo}:${near.details?.path}`, 'pulp/alu:rtl/fifo.v', 'near-dedup keeps the Solderpad copy');
  assert.equal(near.details?.family, 'pulp/alu', 'the licensed original is the canonical repository of the family (shared files)');
  const pstl = verdictOf(dbPath, 'aaa/pstl-copy:algorithm_fwd.h');
  assert.equal(pstl.reason, 'near-duplicate');
  assert.equal(pstl.details?.repo, 'llvm/pstl', 'an exception id is not a license: the LLVM-exception file is permissive');
  assert.equal(verdictOf(dbPath, 'pulp/alu:rtl/fifo.v').verdict, 'keep');
  assert.equal(verdictOf(dbPath, 'llvm/pstl:include/pstl/algorithm_fwd.h').verdict, 'keep');
});
