import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { listCandidates } from '../../crawlers/recall/recall-store.js';
import { loadRecallConfig } from '../../crawlers/recall/recall-config.js';
import { runRecall, type RecallReport } from '../../crawlers/recall/run-recall.js';
import { makeTempDir, runCli, startCli } from '../helpers.js';
import { startFakeGitHub, type FakeGitHub } from './github-fake-server.js';
import { UNIVERSE, UNIVERSE_RECALL_CONFIG } from './recall-universe.js';

/** Precision and recall of an accepted set against the universe's labels. */
export function scoreAccepted(accepted: string[]): { precision: number; recall: number } {
  const industrial = new Set(UNIVERSE.filter((r) => r.industrial).map((r) => r.full_name));
  const tp = accepted.filter((r) => industrial.has(r)).length;
  return { precision: accepted.length ? tp / accepted.length : 1, recall: tp / industrial.size };
}

function configFile(): string {
  const path = join(makeTempDir(), 'recall.json');
  writeFileSync(path, JSON.stringify(UNIVERSE_RECALL_CONFIG));
  return path;
}

test('three-step recall on the labelled universe: each step adds recall, the classifier vetoes the rule false positive', async () => {
  const gh = await startFakeGitHub({ repos: UNIVERSE });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const config = loadRecallConfig(configFile());
    const report: RecallReport = await runRecall(db, { config, apiUrl: gh.apiUrl, token: 'ghp_x', retryAfterBaseMs: 2, searchIntervalMs: 0, rounds: 3 });
    const [rule, classifier, ...expansion] = report.steps;
    const pr = report.steps.map((s) => scoreAccepted(s.accepted));
    assert.equal(rule!.step, 'rule');
    assert.ok(rule!.accepted.includes('fpga-news/scraper'), 'rules accept the topic:fpga scraper (a false positive)');
    assert.ok(!classifier!.accepted.includes('fpga-news/scraper'), 'the classifier vetoes it');
    assert.ok(pr[1]!.recall > pr[0]!.recall, `classifier adds recall: ${JSON.stringify(pr)}`);
    assert.ok(pr.at(-1)!.recall > pr[1]!.recall, `expansion adds recall: ${JSON.stringify(pr)}`);
    assert.ok(expansion.length >= 2, 'expansion ran more than one round');
    const final = scoreAccepted(report.accepted);
    assert.ok(final.recall >= 0.9 && final.precision >= 0.9, JSON.stringify(final));
    assert.ok(report.model && report.model.precision !== null && report.model.testSize > 0);
    assert.equal(db.prepare('SELECT count(*) FROM recall_models').pluck().get(), report.models.length);
    assert.ok(report.models.length >= 2, 'retrained after an expansion round');
    // Every repository records its step, score and evidence; every scored file too.
    const origins = new Map(listCandidates(db).map((c) => [c.repo, c.origin]));
    assert.match(origins.get('upstream-hdl/wishbone-bus')!, /dependency:fpga-lab\/uart-core:\.gitmodules/);
    assert.match(origins.get('fusesoc-cores/i2c-core')!, /\.core$/);
    assert.match(origins.get('zephyr-boards/nrf-drivers')!, /west\.yml$/);
    assert.match(origins.get('orig-author/flash-attn-impl')!, /fork-parent-of:gpu-team\/flash-fork/);
    assert.match(origins.get('wb-periph/gpio-wishbone')!, /query:wishbone/);
    assert.equal(db.prepare("SELECT count(*) FROM repos WHERE recall_step IS NULL AND name IN (SELECT repo FROM recall_candidates WHERE status <> 'failed')").pluck().get(), 0);
    assert.ok((db.prepare("SELECT count(*) FROM recall_file_scores WHERE step = 'classifier'").pluck().get() as number) > 20);
    // A second run re-sends no search and downloads no archive: everything is known and unchanged.
    const archives = gh.archives.length;
    const searches = gh.log.filter((l) => l.path.startsWith('/search/')).length;
    const again = await runRecall(db, { config, apiUrl: gh.apiUrl, token: 'ghp_x', retryAfterBaseMs: 2, searchIntervalMs: 0, rounds: 3 });
    assert.equal(gh.archives.length, archives);
    assert.equal(gh.log.filter((l) => l.path.startsWith('/search/')).length, searches);
    assert.deepEqual(again.accepted, report.accepted);
  } finally {
    db.close();
    await gh.close();
  }
});

test('recall --dry-run prints the queries it would send and sends nothing; a bad config is an error', () => {
  const dbPath = join(makeTempDir(), 'c.db');
  const r = runCli(['--db', dbPath, 'recall', '--dry-run', '--config', configFile(), '--api-url', 'http://127.0.0.1:9']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^rule {8}search {2}language:verilog$/m);
  assert.match(r.stdout, /^classifier {2}search {2}language:python$/m);
  assert.match(r.stdout, /expansion/);
  const defaults = runCli(['--db', dbPath, 'recall', '--dry-run']);
  assert.match(defaults.stdout, /topic:cadquery stars:>=10/);
  const bad = join(makeTempDir(), 'bad.json');
  writeFileSync(bad, JSON.stringify({ rule: { minScroe: 1 } }));
  const e = runCli(['--db', dbPath, 'recall', '--dry-run', '--config', bad]);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /unknown key .*minScroe/);
});

test('recall killed mid-way (SIGKILL) and run again ends with the same accepted set, downloading each archive once', async () => {
  let victim: ReturnType<typeof startCli> | null = null;
  let killedAt: string | null = null;
  const gh: FakeGitHub = await startFakeGitHub({
    repos: UNIVERSE,
    onArchive: (name, n) => {
      if (n === 12 && victim) {
        killedAt = name;
        victim.kill('SIGKILL');
      }
    },
  });
  const dbPath = join(makeTempDir(), 'c.db');
  const args = ['--db', dbPath, 'recall', '--config', configFile(), '--api-url', gh.apiUrl, '--retry-unit', '2', '--search-interval', '0', '--json'];
  const run = () => {
    const child = startCli(args, { env: { GITHUB_TOKEN: 'ghp_x' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    return { child, done: new Promise<{ status: number | null; signal: string | null; out: string }>((ok) => child.on('close', (status, signal) => ok({ status, signal, out }))) };
  };
  try {
    const first = run();
    victim = first.child;
    assert.equal((await first.done).signal, 'SIGKILL');
    victim = null;
    const second = await run().done;
    assert.equal(second.status, 0);
    const report = JSON.parse(second.out) as RecallReport;
    assert.deepEqual(scoreAccepted(report.accepted), { precision: 1, recall: 1 });
    const counts = new Map<string, number>();
    for (const a of gh.archives) counts.set(a, (counts.get(a) ?? 0) + 1);
    for (const [name, n] of counts) assert.equal(n, name === killedAt ? 2 : 1, `${name} downloaded ${n} times`);
  } finally {
    await gh.close();
  }
});
