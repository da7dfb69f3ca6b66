import { DEFAULT_DOC_BUDGET_MS, runWithBudget } from '../pipeline/budget.js';
import { batch, mapOrdered } from '../pipeline/map-ordered.js';
import { collectYoung } from '../pipeline/native-gc.js';
import { TASK_WORKER_MODULE } from '../pipeline/task-worker.js';
import { createWorkerPool } from '../pipeline/worker-pool.js';
import { transformDoc, type TransformConfig, type TransformOutput } from './transform.js';
import { TRANSFORM_TASK_MODULE, type TransformItem } from './transform-task.js';
import type { KeptDoc } from '../corpus/kept-docs.js';

/** Documents per worker call, and a cap on their text, so one call stays well under a second. */
const BATCH_DOCS = 64;
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * The FIM transform of every document, in input order. With more than one
 * thread the transform (dominated by tree-sitter parsing, every grammar
 * including Verilog: annotate/native/) runs on the pipeline's worker pool
 * with its per-document budget, and results are re-ordered, so the output
 * never depends on the thread count — each document's randomness is seeded
 * by its own id. A document whose transform fails or overruns the budget is
 * exported without FIM (`astFallback: parser-failed`), never lost.
 */
export async function* transformDocs(
  docs: AsyncIterable<KeptDoc> | Iterable<KeptDoc>,
  config: TransformConfig,
  threads: number,
): AsyncGenerator<{ doc: KeptDoc; out: TransformOutput }> {
  const t = await createTransformer(config, threads);
  try {
    yield* t.transform(docs);
  } finally {
    await t.close();
  }
}

/** A transformer that keeps its pool across calls (repository-level export transforms one repository at a time). */
export interface Transformer {
  transform(docs: AsyncIterable<KeptDoc> | Iterable<KeptDoc>): AsyncGenerator<{ doc: KeptDoc; out: TransformOutput }>;
  close(): Promise<void>;
}

export async function createTransformer(config: TransformConfig, threads: number): Promise<Transformer> {
  if (threads <= 1) {
    return {
      async *transform(docs) {
        let n = 0;
        for await (const doc of docs) {
          yield { doc, out: transformDoc(doc, config) };
          if (++n % 64 === 0) collectYoung();
        }
      },
      close: async () => {},
    };
  }
  const pool = await createWorkerPool(TASK_WORKER_MODULE, threads);
  const step = { stage: 'export', module: TRANSFORM_TASK_MODULE, fn: 'transformStep', options: config };
  return {
    async *transform(docs) {
      const batches = batch(toAsync(docs), BATCH_DOCS, BATCH_CHARS, (d) => d.text.length);
      const results = mapOrdered(batches, threads * 2, async (group) => {
        const items: TransformItem[] = group.map(({ id, lang, text }) => ({ id, lang, text }));
        const outcomes = await runWithBudget(pool, { kind: 'items', steps: [step], items }, DEFAULT_DOC_BUDGET_MS);
        return { group, outs: outcomes.map((o, i) => (o.stop ? plain(group[i]!.text) : (o.value as TransformItem).out!)) };
      });
      for await (const { group, outs } of results) {
        for (let i = 0; i < group.length; i++) yield { doc: group[i]!, out: outs[i]! };
      }
    },
    close: () => pool.close(),
  };
}

function plain(text: string): TransformOutput {
  return { text, fim: null, span: null, skipped: null, astFallback: 'parser-failed' };
}

async function* toAsync<T>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
