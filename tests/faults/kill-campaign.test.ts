import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runScenario, type Scenario } from './kill-campaign.js';
import { crawlDirScenario, crawlGitScenario, crawlGithubScenario, exportScenario, rebuildScenario } from './kill-scenarios.js';
import { requireReal } from '../filters/filter-fixtures.js';
import { makeTempDir } from '../helpers.js';

/**
 * The small version of `npm run bench:faults:kill`: one SIGKILL at a random
 * point of each command on real headers (newlib), then a rerun to completion.
 * Nothing may be corrupt, lost, duplicated or different from an uninterrupted run.
 */
test('SIGKILL at a random point of crawl dir / git / github, rebuild and export: rerun to completion, nothing corrupt, lost, duplicated or different', async () => {
  const material = [requireReal('/usr/include/newlib', 'libnewlib-dev')];
  // Rebuild and export on a subtree (41 headers): the same code paths, a quarter of the test time.
  const small = [requireReal('/usr/include/newlib/sys', 'libnewlib-dev')];
  const github = crawlGithubScenario(material);
  const scenarios: Scenario[] = [crawlDirScenario(material), crawlGitScenario(material), github, rebuildScenario(small, false), exportScenario(small)];
  const root = makeTempDir('incorpus-faults-');
  try {
    for (const s of scenarios) {
      const f = await runScenario(s, 1, join(root), 'test');
      assert.equal(f.kills, 1);
      assert.deepEqual(
        { corrupt: f.corrupt, lost: f.lost, duplicated: f.duplicated, differing: f.differing, differingExports: f.differingExports, afterKill: f.afterKill },
        { corrupt: 0, lost: 0, duplicated: 0, differing: 0, differingExports: 0, afterKill: 0 },
        `${s.name}: ${f.problems.join('; ')}`,
      );
    }
  } finally {
    await github.close();
  }
});

test('the campaign checks can fail: a damaged page, a lost, a repeated and a changed document are all counted', async () => {
  const { checkDatabase, compareOutcome } = await import('./kill-campaign.js');
  const { openCorpus } = await import('../../corpus/db.js');
  const { crawlDir } = await import('../../crawlers/crawl-dir.js');
  const { openSync, writeSync, closeSync, statSync } = await import('node:fs');
  const db = join(makeTempDir(), 'c.db');
  const c = openCorpus(db);
  crawlDir(c, { path: requireReal('/usr/include/newlib', 'libnewlib-dev'), repo: 'n' });
  c.close();
  assert.equal(checkDatabase(db), null);
  // Overwrite a page in the middle of the file with garbage.
  const fd = openSync(db, 'r+');
  const page = Math.floor(statSync(db).size / 4096 / 2) * 4096;
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page);
  closeSync(fd);
  assert.notEqual(checkDatabase(db), null);
  assert.deepEqual(compareOutcome([['a', '1'], ['b', '2'], ['c', '3']], [['a', '1'], ['a', '1'], ['b', 'x']]), { lost: 1, duplicated: 1, differing: 1 });
});

test('a corpus killed between creating the migrations table and its first migration reads as idle; a table missing after every migration is a fault', async () => {
  const Database = (await import('better-sqlite3')).default;
  const { openCorpus } = await import('../../corpus/db.js');
  const dir = makeTempDir();
  const scenario = crawlDirScenario([requireReal('/usr/include/newlib/sys', 'libnewlib-dev')]);
  // What `migrate` leaves when killed before 0001-raw-layer commits: an empty migrations table, no `crawls`.
  const early = join(dir, 'early.db');
  const e = new Database(early);
  e.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  e.close();
  assert.equal(scenario.midWork(early, dir), false);
  assert.deepEqual(scenario.outcome(early, dir), []);
  // A fully migrated corpus whose crawls table is gone is not a kill artifact: the probe must throw.
  const broken = join(dir, 'broken.db');
  openCorpus(broken).close();
  const b = new Database(broken);
  b.pragma('foreign_keys = OFF');
  b.exec('DROP TABLE crawls');
  b.close();
  assert.throws(() => scenario.midWork(broken, dir), /no such table: crawls/);
});
