import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { getDupReport, type DupReport } from '../../dedup/cluster-store.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { makeTempDir, runCli } from '../helpers.js';
import { addRepo, editLines, makeVerilog, type FixtureRepo } from './fixtures.js';

const A = makeVerilog('a');
const B = makeVerilog('b');

/** Upstream, a starred fork, a vendored copy, a permissive re-host and an unrelated repository. */
function fixtureRepos(): FixtureRepo[] {
  return [
    { name: 'up/core', stars: 10, forks: 3, files: { 'rtl/a.v': A, 'rtl/b.v': B, 'rtl/c.v': makeVerilog('c') } },
    { name: 'alice/core', stars: 50, forkParent: 'up/core', files: { 'rtl/a.v': A, 'rtl/b.v': editLines(B, 2), 'rtl/c.v': makeVerilog('c'), 'rtl/new.v': makeVerilog('alice-new') } },
    { name: 'vendor/copy', files: { 'ip/b.v': editLines(B, 3, 'vendor'), 'ip/d.v': makeVerilog('d') } },
    { name: 'unrelated/x', stars: 500, files: { 'x.v': makeVerilog('x'), 'y.v': makeVerilog('y') } },
  ];
}

function buildDb(repos: FixtureRepo[]): string {
  const dbPath = join(makeTempDir(), 'c.db');
  const db = openCorpus(dbPath);
  for (const r of repos) addRepo(db, r);
  db.close();
  return dbPath;
}

function report(dbPath: string): DupReport {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    return getDupReport(db);
  } finally {
    db.close();
  }
}

/** Verdicts keyed repo:path (order-free), for comparing two runs. */
function verdicts(dbPath: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['up/core:rtl/a.v', 'up/core:rtl/b.v', 'alice/core:rtl/a.v', 'alice/core:rtl/b.v', 'alice/core:rtl/new.v', 'vendor/copy:ip/b.v', 'vendor/copy:ip/d.v', 'unrelated/x:x.v']) {
    const r = runCli(['why', key, '--json'], { env: { INCORPUS_DB: dbPath } });
    const v = JSON.parse(r.stdout).verdict;
    out[key] = `${v.verdict}:${v.reason}:${v.details?.duplicateOf ?? ''}`;
  }
  return out;
}

test('forks and vendored copies: near-duplicates dropped, the fork family canonical keeps every shared file, why and dups show it', async () => {
  const dbPath = buildDb(fixtureRepos());
  const s = await rebuild(dbPath, { threads: 2 });
  assert.equal(s.droppedBy['near-dedup/near-duplicate'], 2, JSON.stringify(s.droppedBy));
  assert.equal(s.droppedBy['exact-dedup/exact-duplicate'], 2, 'a.v and c.v of the fork are exact copies');

  // The starred fork is the family's canonical repository: exact dedup kept its a.v, near-dedup keeps its b.v.
  const env = { INCORPUS_DB: dbPath };
  assert.equal(JSON.parse(runCli(['why', 'up/core:rtl/a.v', '--json'], { env }).stdout).verdict.details.repo, 'alice/core');
  const why = JSON.parse(runCli(['why', 'up/core:rtl/b.v', '--json'], { env }).stdout);
  assert.equal(why.verdict.stage, 'near-dedup');
  assert.equal(why.verdict.reason, 'near-duplicate');
  assert.equal(why.verdict.details.repo, 'alice/core');
  assert.equal(why.verdict.details.path, 'rtl/b.v');
  assert.equal(why.verdict.details.family, 'alice/core');
  assert.ok(why.verdict.details.jaccard >= 0.7 && why.verdict.details.jaccard < 1, String(why.verdict.details.jaccard));
  const text = runCli(['why', 'vendor/copy:ip/b.v'], { env: { INCORPUS_DB: dbPath } }).stdout;
  assert.match(text, /near-duplicate[\s\S]*duplicate of: alice\/core:rtl\/b\.v[\s\S]*cluster=/);
  assert.equal(JSON.parse(runCli(['why', 'alice/core:rtl/new.v', '--json'], { env: { INCORPUS_DB: dbPath } }).stdout).verdict.verdict, 'keep', 'what the fork adds is kept');

  const dups = JSON.parse(runCli(['dups', '--json'], { env: { INCORPUS_DB: dbPath } }).stdout) as DupReport;
  const cluster = dups.clusters.find((c) => c.kind === 'near-duplicate')!;
  assert.equal(cluster.size, 3);
  assert.equal(`${cluster.kept.repo}:${cluster.kept.path}`, 'alice/core:rtl/b.v');
  assert.deepEqual(cluster.members.map((m) => m.repo).sort(), ['alice/core', 'up/core', 'vendor/copy']);
  assert.deepEqual(dups.families.map((f) => [f.canonical, f.members.map((m) => m.repo)]), [['alice/core', ['alice/core', 'up/core']]]);
  const human = runCli(['dups'], { env: { INCORPUS_DB: dbPath } });
  assert.equal(human.status, 0);
  assert.match(human.stdout, /near-duplicate cluster [0-9a-f]{16}: 3 members, kept alice\/core:rtl\/b\.v/);
  assert.match(human.stdout, /alice\/core \(canonical\) — fork of up\/core/);
  assert.match(human.stdout, /up\/core — shares 3 files \(1\) with alice\/core/);

  const db = openCorpus(dbPath, { readonly: true });
  const config = JSON.parse(db.prepare('SELECT config FROM generations WHERE id = ?').pluck().get(s.generation) as string);
  db.close();
  assert.deepEqual(config.stages['near-dedup'].lsh.bands > 0 && config.stages['near-dedup'].lsh.chosen, 'auto', 'LSH parameters are recorded');
  assert.equal(config.stages['near-dedup'].numPerm, 256);
});

test('the same clusters and keepers whatever the crawl order and thread count', async () => {
  const forward = buildDb(fixtureRepos());
  const reverse = buildDb(fixtureRepos().reverse());
  await rebuild(forward, { threads: 1 });
  await rebuild(reverse, { threads: 2 });
  const norm = (r: DupReport): unknown =>
    r.clusters.map((c) => ({ kind: c.kind, kept: `${c.kept.repo}:${c.kept.path}`, members: c.members.map((m) => `${m.repo}:${m.path}:${m.similarity}`).sort() }));
  assert.deepEqual(norm(report(reverse)), norm(report(forward)));
  assert.deepEqual(verdicts(reverse), verdicts(forward));
});

test('verification (exact or estimated Jaccard) rejects LSH false positives that aggressive bands produce', async () => {
  // Half the statements shared: Jaccard of 5-gram shingles ~0.3, far below 0.7.
  const half = A.split('\n').slice(0, 21).join('\n') + '\n' + makeVerilog('half').split('\n').slice(21).join('\n');
  const repos: FixtureRepo[] = [
    { name: 'p/one', files: { 'a.v': A } },
    { name: 'p/two', files: { 'a.v': half, 'b.v': editLines(A, 1) } },
  ];
  // 256 bands of one row: any pair sharing a min-hash collides.
  const loose = mergeConfig({ nearDedup: { bands: 256, rows: 1, verify: 'none' } });
  const unverified = await rebuild(buildDb(repos), { config: loose });
  assert.equal(unverified.droppedBy['near-dedup/near-duplicate'], 2, 'without verification the half-copy is (wrongly) clustered');
  for (const verify of ['exact', 'estimate']) {
    const verified = await rebuild(buildDb(repos), { config: mergeConfig({ nearDedup: { bands: 256, rows: 1, verify } }) });
    assert.equal(verified.droppedBy['near-dedup/near-duplicate'], 1, `with verify=${verify} only the true near-duplicate goes`);
  }
});

test('scratch state is generation-scoped: leftovers of a killed rebuild are deleted, nothing stays behind', async () => {
  const dbPath = buildDb(fixtureRepos());
  const stale = `${dbPath}-dedup-g999`;
  writeFileSync(stale, 'left by a killed rebuild');
  writeFileSync(`${dbPath}-dedup-gx`, 'not ours: kept');
  await rebuild(dbPath);
  assert.equal(existsSync(stale), false);
  const left = readdirSync(dirname(dbPath)).filter((f) => f.startsWith(`${basename(dbPath)}-dedup-g`));
  assert.deepEqual(left, [`${basename(dbPath)}-dedup-gx`]);
  // A second rebuild replaces the clusters; dups shows only the current generation's.
  assert.equal((await rebuild(dbPath, { force: true })).unchanged, undefined);
  assert.equal(report(dbPath).clusters.length, 1);
});

test('near-dedup can be switched off, and dups explains an empty corpus state', async () => {
  const dbPath = buildDb(fixtureRepos());
  const r = runCli(['dups'], { env: { INCORPUS_DB: dbPath } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /has not been built yet/);
  const s = await rebuild(dbPath, { config: mergeConfig({ nearDedup: { enabled: false } }) });
  assert.equal(s.droppedBy['near-dedup/near-duplicate'], undefined);
  assert.equal(report(dbPath).clusters.length, 0);
});
