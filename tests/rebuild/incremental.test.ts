import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { currentGeneration } from '../../corpus/generations.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { DEFAULT_REBUILD_CONFIG, mergeConfig, type RebuildConfig } from '../../rebuild/rebuild-config.js';
import { makeTempDir, writeSampleRepo, writeTree } from '../helpers.js';

/** Verdicts of the current generation, without the generation id: what a rebuild decided. */
function decisions(dbPath: string): unknown[] {
  const db = openCorpus(dbPath, { readonly: true });
  const gen = currentGeneration(db)!;
  const rows = db
    .prepare('SELECT f.doc_id, v.verdict, v.stage, v.reason, v.details, v.lang, v.domain, v.out_sha256 FROM verdicts v JOIN files f ON f.id = v.file_id WHERE v.gen_id = ? ORDER BY f.doc_id')
    .all(gen.id);
  db.close();
  return rows;
}

const memoRows = (dbPath: string): number => {
  const db = openCorpus(dbPath, { readonly: true });
  const n = db.prepare('SELECT count(*) FROM stage_memo').pluck().get() as number;
  db.close();
  return n;
};

const noVerify = (over: Record<string, unknown> = {}): RebuildConfig => {
  const c = mergeConfig(over);
  c.verify.enabled = false;
  return c;
};

const WORKER_STAGES = ['analyze', 'validate', 'license', 'pii', 'normalize', 'annotate'];

function corpus(): { dbPath: string; dir: string } {
  const dbPath = join(makeTempDir(), 'c.db');
  const dir = writeSampleRepo(makeTempDir());
  writeTree(dir, {
    'LICENSE': 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n',
    'rtl/top.v': 'module top(input clk,   \n  output q);   \n\n\n\n\n  counter u0 (.clk(clk));\nendmodule\n',
    'sw/cfg.py': 'HOST = "10.1.2.3"\nEMAIL = "dev@corp.io"\n',
  });
  const db = openCorpus(dbPath);
  crawlDir(db, { path: dir, repo: 'acme/soc' });
  crawlDir(db, { path: writeSampleRepo(makeTempDir(), ' fork'), repo: 'zed/fork' });
  db.close();
  return { dbPath, dir };
}

test('incremental: a forced second rebuild with nothing changed reuses every per-document result and decides the same', async () => {
  const { dbPath } = corpus();
  const first = await rebuild(dbPath, { threads: 2, config: noVerify() });
  const before = decisions(dbPath);
  for (const s of WORKER_STAGES) assert.equal(first.stages[s]!.counters?.['memo-hits'] ?? 0, 0, `${s}: nothing to reuse the first time`);
  const second = await rebuild(dbPath, { threads: 2, config: noVerify(), force: true });
  assert.equal(second.generation, first.generation + 1, '--force builds a new generation');
  assert.equal(second.unchanged, undefined);
  assert.deepEqual(decisions(dbPath), before, 'same verdicts, details and refined blobs');
  for (const s of WORKER_STAGES) {
    assert.equal(second.stages[s]!.counters?.['memo-hits'], second.stages[s]!.seen, `${s}: every document from the memo`);
    assert.equal(second.stages[s]!.timeMs, 0, `${s}: no worker time`);
    const { ['memo-hits']: _hits, ...counters } = second.stages[s]!.counters ?? {};
    assert.deepEqual(counters, first.stages[s]!.counters ?? {}, `${s}: its own counters replayed`);
  }
  assert.deepEqual(second.droppedBy, first.droppedBy);
});

test('incremental: a changed file is the only one computed again; a changed option recomputes only its stages; stale results are pruned', async () => {
  const { dbPath, dir } = corpus();
  await rebuild(dbPath, { threads: 1, config: noVerify() });
  writeFileSync(join(dir, 'rtl/top.v'), 'module top(input clk, output q);\n  counter u1 (.clk(clk));   \nendmodule\n');
  const db = openCorpus(dbPath);
  crawlDir(db, { path: dir, repo: 'acme/soc' });
  db.close();
  const changed = await rebuild(dbPath, { threads: 1, config: noVerify() });
  const a = changed.stages.analyze!;
  assert.equal(a.counters?.['memo-hits'], a.seen - 1, 'one file changed: one analyzed again');
  const rowsBefore = memoRows(dbPath);

  const other = await rebuild(dbPath, { threads: 1, config: noVerify({ normalize: { maxBlankLines: 1 } }) });
  assert.equal(other.stages.analyze!.counters?.['memo-hits'], other.stages.analyze!.seen, 'analyze/validate/license options unchanged: reused');
  assert.equal(other.stages.normalize!.counters?.['memo-hits'] ?? 0, 0, 'normalize options changed: its chain (pii, normalize, annotate) runs again');
  assert.equal(memoRows(dbPath), rowsBefore, 'results of the old normalize options are pruned, the new ones take their place');
  const fresh = await rebuild(dbPath, { threads: 1, config: { ...noVerify({ normalize: { maxBlankLines: 1 } }), pipeline: { ...DEFAULT_REBUILD_CONFIG.pipeline, incremental: false } } });
  assert.equal(fresh.stages.analyze!.counters?.['memo-hits'] ?? 0, 0, 'incremental: false computes everything');
  assert.deepEqual(fresh.droppedBy, other.droppedBy);
});

const generationCount = (dbPath: string): number => {
  const db = openCorpus(dbPath, { readonly: true });
  const n = db.prepare('SELECT count(*) FROM generations').pluck().get() as number;
  db.close();
  return n;
};

test('unchanged: a rebuild with the same inputs finds the current generation up to date; a changed file, repository fact, option or benchmark file rebuilds', async () => {
  const { dbPath, dir } = corpus();
  const first = await rebuild(dbPath, { threads: 1, config: noVerify() });
  const before = decisions(dbPath);
  const same = await rebuild(dbPath, { threads: 1, config: noVerify() });
  assert.equal(same.unchanged?.since !== undefined, true, 'reported as up to date');
  assert.equal(same.generation, first.generation);
  assert.equal(generationCount(dbPath), 1, 'no new generation row');
  assert.deepEqual({ seen: same.seen, kept: same.kept, droppedBy: same.droppedBy }, { seen: first.seen, kept: first.kept, droppedBy: first.droppedBy }, "the current generation's counters");
  assert.deepEqual(decisions(dbPath), before);

  // A re-crawl that finds nothing changed, a moment later, is not a change.
  const again = openCorpus(dbPath);
  crawlDir(again, { path: dir, repo: 'acme/soc' });
  again.close();
  assert.equal((await rebuild(dbPath, { threads: 1, config: noVerify() })).unchanged !== undefined, true, 're-crawled, nothing changed: still up to date');

  // A repository fact the keep rule ranks by (a re-crawl refreshed the stars) changes the inputs.
  const db = openCorpus(dbPath);
  db.prepare("UPDATE repos SET stars = 99 WHERE name = 'zed/fork'").run();
  db.close();
  const facts = await rebuild(dbPath, { threads: 1, config: noVerify() });
  assert.equal(facts.unchanged, undefined, 'repository facts changed');
  assert.equal(facts.generation, first.generation + 1);
  assert.equal((await rebuild(dbPath, { threads: 1, config: noVerify() })).unchanged !== undefined, true, 'and then it is up to date again');

  // A changed file (crawled again) moves the raw snapshot.
  writeFileSync(join(dir, 'rtl/top.v'), 'module top(input clk, output q);\n  counter u2 (.clk(clk));\nendmodule\n');
  const c = openCorpus(dbPath);
  crawlDir(c, { path: dir, repo: 'acme/soc' });
  c.close();
  const crawled = await rebuild(dbPath, { threads: 1, config: noVerify() });
  assert.equal(crawled.unchanged, undefined, 'a crawl changed a file');
  assert.equal(crawled.stages.analyze!.counters?.['memo-hits'], crawled.stages.analyze!.seen - 1, 'only the changed file computed again');

  // A stage option.
  const option = await rebuild(dbPath, { threads: 1, config: noVerify({ normalize: { maxBlankLines: 1 } }) });
  assert.equal(option.unchanged, undefined, 'an option changed');
  assert.equal((await rebuild(dbPath, { threads: 1, config: noVerify({ normalize: { maxBlankLines: 1 } }) })).unchanged !== undefined, true);

  // The bytes of a benchmark file decontamination reads, under the same path.
  const bench = join(makeTempDir(), 'bench.jsonl');
  writeFileSync(bench, JSON.stringify({ text: 'def unrelated_benchmark_solution(x):\n    return x * 2 + 1\n' }) + '\n');
  const withBench = (): RebuildConfig => {
    const cfg = noVerify({ normalize: { maxBlankLines: 1 } });
    cfg.decontaminate.files = [bench];
    return cfg;
  };
  assert.equal((await rebuild(dbPath, { threads: 1, config: withBench() })).unchanged, undefined, 'a benchmark file added');
  assert.equal((await rebuild(dbPath, { threads: 1, config: withBench() })).unchanged !== undefined, true);
  writeFileSync(bench, JSON.stringify({ text: 'def another_benchmark_solution(y):\n    return y - 3\n' }) + '\n');
  assert.equal((await rebuild(dbPath, { threads: 1, config: withBench() })).unchanged, undefined, "the benchmark file's bytes changed");

  // Retention: asking to keep fewer generations than there are complete rebuilds (and prunes).
  const pruning = await rebuild(dbPath, { threads: 1, config: withBench(), keepGenerations: 1 });
  assert.equal(pruning.unchanged, undefined, 'retention has generations to prune');
  assert.ok(pruning.cleanup.pruned.length > 0);
  assert.equal((await rebuild(dbPath, { threads: 1, config: withBench(), keepGenerations: 1 })).unchanged !== undefined, true);
});

test('unchanged: load-dependent outcomes are never frozen; with verify on, the toolchains on PATH are inputs', async () => {
  const { unreusableOutcomes, rebuildInputsDigest } = await import('../../rebuild/rebuild-inputs.js');
  const stats = (over: Record<string, unknown>) => ({ seen: 3, kept: 3, dropped: 0, droppedBy: {}, timeMs: 0, ...over });
  assert.equal(unreusableOutcomes({ analyze: stats({}), verify: stats({ counters: { 'tool-runs': 4, 'status:compiles': 3 } }) }), null);
  assert.match(unreusableOutcomes({ normalize: stats({ dropped: 1, droppedBy: { 'stage-timeout': 1 } }) }) ?? '', /normalize: 1 document\(s\) dropped with stage-timeout/);
  assert.match(unreusableOutcomes({ pii: stats({ dropped: 1, droppedBy: { 'stage-error': 1 } }) }) ?? '', /stage-error/);
  assert.match(unreusableOutcomes({ verify: stats({ counters: { uncacheable: 2 } }) }) ?? '', /verify: 2 uncacheable/);
  assert.match(unreusableOutcomes({ verify: stats({ counters: { 'sandbox-unavailable': 1 } }) }) ?? '', /sandbox-unavailable/);
  assert.match(unreusableOutcomes(undefined) ?? '', /no stage statistics/);

  const { pinRawSnapshot } = await import('../../corpus/raw-snapshot.js');
  const { buildStages } = await import('../../rebuild/rebuild-stages.js');
  const { dbPath } = corpus();
  const db = openCorpus(dbPath, { readonly: true });
  try {
    const digest = (config: RebuildConfig): string =>
      rebuildInputsDigest(db, pinRawSnapshot(db), config, Object.fromEntries(buildStages(config).map((s) => [s.name, s.options])));
    const verifyOn = mergeConfig({});
    const path = process.env.PATH;
    const withTools = digest(verifyOn);
    assert.equal(digest(verifyOn), withTools, 'deterministic');
    try {
      process.env.PATH = makeTempDir(); // no toolchain at all on PATH
      assert.notEqual(digest(verifyOn), withTools, 'a toolchain that disappeared (or was upgraded) is a changed input');
      assert.equal(digest(noVerify()), (() => { process.env.PATH = path; return digest(noVerify()); })(), 'without verify the toolchains are not inputs');
    } finally {
      process.env.PATH = path;
    }
  } finally {
    db.close();
  }
});

test('unchanged: two corpora crawled from the same trees at different moments have the same rebuild inputs (when a source was first crawled is not one)', async () => {
  const { rebuildInputsDigest } = await import('../../rebuild/rebuild-inputs.js');
  const { pinRawSnapshot } = await import('../../corpus/raw-snapshot.js');
  const soc = writeSampleRepo(makeTempDir());
  const fork = writeSampleRepo(makeTempDir(), ' fork');
  const crawled = (createdAt: string): string => {
    const dbPath = join(makeTempDir(), 'c.db');
    const db = openCorpus(dbPath);
    crawlDir(db, { path: soc, repo: 'acme/soc' });
    crawlDir(db, { path: fork, repo: 'zed/fork' });
    // The first-crawl time as two crawls a day apart would record it.
    db.prepare('UPDATE sources SET created_at = ?').run(createdAt);
    const d = rebuildInputsDigest(db, pinRawSnapshot(db), noVerify(), {});
    db.close();
    return d;
  };
  assert.equal(crawled('2026-01-01T00:00:00.000Z'), crawled('2026-01-02T00:00:00.000Z'));
  // Other trees (their own temp dirs): the source URIs differ, so do the digests.
  const other = corpus().dbPath;
  const db = openCorpus(other, { readonly: true });
  const otherDigest = rebuildInputsDigest(db, pinRawSnapshot(db), noVerify(), {});
  db.close();
  assert.notEqual(otherDigest, crawled('2026-01-01T00:00:00.000Z'));
});
