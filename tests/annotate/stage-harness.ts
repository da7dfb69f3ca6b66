import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import type { Doc } from '../../pipeline/doc.js';
import type { Stage } from '../../pipeline/stage.js';
import { StatsRegistry, type StageStats } from '../../pipeline/stats.js';
import { createStageContext } from '../../rebuild/stage-context.js';
import { makeTempDir } from '../helpers.js';

/** Runs one stage over documents with a real (empty) corpus as context; no worker pool (worker steps run inline). */
export async function runStage(stage: Stage, docs: Doc[]): Promise<{ kept: Doc[]; stats: StageStats }> {
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const stats = new StatsRegistry();
  const ctx = createStageContext(db, {
    stats,
    drop: () => {
      throw new Error('annotate stages drop nothing');
    },
  });
  async function* source(): AsyncGenerator<Doc> {
    yield* docs;
  }
  const kept: Doc[] = [];
  try {
    for await (const d of stage.run(source(), ctx)) kept.push(d);
  } finally {
    db.close();
  }
  return { kept, stats: stats.for(stage.name) };
}
