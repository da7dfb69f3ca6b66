import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { readBlob } from '../../corpus/blobs.js';
import { STREAM_ORDER } from '../../dedup/keep-rule.js';
import { iterateFilesForRebuild } from '../../corpus/rebuild-source.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { buildStages } from '../../rebuild/rebuild-stages.js';
import { DEFAULT_REBUILD_CONFIG } from '../../rebuild/rebuild-config.js';
import type { Doc } from '../../pipeline/doc.js';
import { StatsRegistry } from '../../pipeline/stats.js';
import { createWorkerPool } from '../../pipeline/worker-pool.js';
import { analyzeText } from '../../annotate/analyze-task.js';
import { createStageContext, TASK_WORKER } from '../../rebuild/stage-context.js';
import { makeTempDir, writeSampleRepo } from '../helpers.js';

/**
 * One contract every stage must meet: each document it receives is either
 * yielded once or dropped once (with a non-empty reason), and its counters add
 * up (seen = kept + dropped). Runs against every stage of a rebuild.
 */
for (const stage of buildStages(structuredClone(DEFAULT_REBUILD_CONFIG))) {
  test(`stage contract: ${stage.name}`, async () => {
    const dbPath = join(makeTempDir(), 'c.db');
    const db = openCorpus(dbPath);
    crawlDir(db, { path: writeSampleRepo(makeTempDir()), repo: 'a' });
    crawlDir(db, { path: writeSampleRepo(makeTempDir()), repo: 'b' });
    const docs: Doc[] = [];
    for await (const d of iterateFilesForRebuild(db, { order: STREAM_ORDER })) docs.push(d);
    // Stages after analyze expect analyzed documents (text in memory, as analyze leaves it).
    const input = stage.name === 'analyze' ? docs : docs.map((d) => {
      const text = d.crawlStatus === 'ok' && d.sha256 ? (readBlob(db, d.sha256)?.toString('utf8') ?? null) : null;
      return Object.assign(d, analyzeText(d.path, text));
    });
    const dropped: Array<{ id: number; reason: string }> = [];
    const stats = new StatsRegistry();
    const pool = await createWorkerPool(TASK_WORKER, 1);
    const ctxDb = openCorpus(dbPath);
    const ctx = createStageContext(ctxDb, {
      stats,
      pool,
      drop: (doc, stageName, reason) => {
        assert.equal(stageName, stage.name);
        assert.ok(reason.length > 0);
        dropped.push({ id: doc.fileId, reason });
      },
    });
    const kept: number[] = [];
    async function* source() {
      yield* input;
    }
    try {
      for await (const d of stage.run(source(), ctx)) kept.push(d.fileId);
    } finally {
      await pool.close();
      ctxDb.close();
      db.close();
    }
    const all = [...kept, ...dropped.map((d) => d.id)].sort((x, y) => x - y);
    assert.deepEqual(all, input.map((d) => d.fileId).sort((x, y) => x - y), 'every document kept or dropped exactly once');
    const s = stats.for(stage.name);
    assert.equal(s.seen, input.length);
    assert.equal(s.kept, kept.length);
    assert.equal(s.dropped, dropped.length);
    assert.equal(Object.values(s.droppedBy).reduce((a, b) => a + b, 0), s.dropped);
    assert.ok(typeof stage.options === 'object');
  });
}
