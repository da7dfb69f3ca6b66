import type { Doc } from '../pipeline/doc.js';
import { batch, mapOrdered } from '../pipeline/map-ordered.js';
import type { Stage } from '../pipeline/stage.js';
import type { AnalyzeItem, AnalyzeResult } from './analyze-task.js';

export interface AnalyzeOptions {
  /** Files per worker task; larger batches amortize thread hand-off. @default 64 */
  batchFiles?: number;
  /** Compressed bytes per worker task. @default 4 MiB */
  batchBytes?: number;
}

/**
 * Decodes content and labels language and domain on the worker pool, keeping
 * document order. Drops nothing: it annotates every document for the filters.
 */
export function createAnalyzeStage(opts: AnalyzeOptions = {}): Stage {
  const options = { batchFiles: opts.batchFiles ?? 64, batchBytes: opts.batchBytes ?? 4 * 1024 * 1024 };
  return {
    name: 'analyze',
    options,
    async *run(docs, ctx) {
      const batches = batch(docs, options.batchFiles, options.batchBytes, (d: Doc) => d.blob?.data.length ?? 0);
      const analyzed = mapOrdered(batches, ctx.poolSize * 2, async (group) => {
        const items: AnalyzeItem[] = group.map((d) => ({ path: d.path, blob: d.blob }));
        const results = await ctx.runOnPool<AnalyzeItem[], AnalyzeResult[]>(items);
        return group.map((doc, i) => Object.assign(doc, results[i]!, { blob: null }));
      });
      for await (const group of analyzed) {
        for (const doc of group) {
          ctx.stats.seen('analyze');
          ctx.stats.kept('analyze');
          yield doc;
        }
      }
    },
  };
}
