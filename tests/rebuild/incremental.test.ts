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

test('incremental: a second rebuild with nothing changed reuses every per-document result and decides the same', async () => {
  const { dbPath } = corpus();
  const first = await rebuild(dbPath, { threads: 2, config: noVerify() });
  const before = decisions(dbPath);
  for (const s of WORKER_STAGES) assert.equal(first.stages[s]!.counters?.['memo-hits'] ?? 0, 0, `${s}: nothing to reuse the first time`);
  const second = await rebuild(dbPath, { threads: 2, config: noVerify() });
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
