import { grammarFor } from '../annotate/tree-sitter.js';
import { batch, mapOrdered } from '../pipeline/map-ordered.js';
import { createWorkerPool } from '../pipeline/worker-pool.js';
import { transformDoc, type TransformConfig, type TransformOutput } from './transform.js';
import type { TransformTask } from './transform-task.js';
import type { KeptDoc } from '../corpus/kept-docs.js';

/** Documents per worker call, and a cap on their text, so one call stays well under a second. */
const BATCH_DOCS = 64;
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * The FIM transform of every document, in input order. With more than one
 * thread the transform (dominated by tree-sitter parsing) runs on a piscina
 * pool and results are re-ordered, so the output never depends on the thread
 * count — each document's randomness is seeded by its own id.
 * tree-sitter-verilog@1.0.0 is a nan-era addon that is not context-aware: one
 * thread per process may load it. Verilog/SystemVerilog documents are
 * therefore transformed on the main thread, the rest on the pool.
 */
export async function* transformDocs(
  docs: Iterable<KeptDoc>,
  config: TransformConfig,
  threads: number,
): AsyncGenerator<{ doc: KeptDoc; out: TransformOutput }> {
  if (threads <= 1) {
    for (const doc of docs) yield { doc, out: transformDoc(doc, config) };
    return;
  }
  const pool = await createWorkerPool(new URL('./transform-task.js', import.meta.url), threads);
  try {
    const batches = batch(toAsync(docs), BATCH_DOCS, BATCH_CHARS, (d) => d.text.length);
    const results = mapOrdered(batches, threads * 2, async (group) => {
      const onPool = group.filter((d) => !mainThreadOnly(d.lang));
      const task: TransformTask = { config, docs: onPool.map(({ id, lang, text }) => ({ id, lang, text })) };
      const pooled = onPool.length > 0 ? pool.run<TransformTask, TransformOutput[]>(task) : Promise.resolve([]);
      const local = group.filter((d) => mainThreadOnly(d.lang)).map((d) => transformDoc(d, config));
      const fromPool = await pooled;
      const outs = group.map((d) => (mainThreadOnly(d.lang) ? local.shift()! : fromPool.shift()!));
      return { group, outs };
    });
    for await (const { group, outs } of results) {
      for (let i = 0; i < group.length; i++) yield { doc: group[i]!, out: outs[i]! };
    }
  } finally {
    await pool.close();
  }
}

function mainThreadOnly(lang: string): boolean {
  return grammarFor(lang) === 'verilog';
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
