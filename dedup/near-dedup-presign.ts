import type { Doc } from '../pipeline/doc.js';
import { batch, mapOrdered } from '../pipeline/map-ordered.js';
import type { Stage, StageContext } from '../pipeline/stage.js';
import { resolveNearDedupOptions, type NearDedupOptions, type ResolvedNearDedupOptions } from './near-dedup-options.js';
import { signatureKeyOf, signGroup, signSpec } from './near-dedup-sign.js';

/**
 * Pass 1 of near-dedup without the rest: signs every document whose
 * signature is memoized (dedup/near-dedup-sign.ts: text hash within a scope
 * naming the sign config and code version) into `ctx.memo`, and passes every
 * document on unchanged. A rebuild shard (queue/rebuild-shard-job.ts) runs it
 * in near-dedup's place, so the coordinator's near-dedup finds the signatures
 * in the merged memo and signs nothing the shards signed — the datatrove
 * split: its first near-dedup step (`MinhashDedupSignature`) runs one task
 * per input shard before any global step reads a signature.
 * Without a memo (`pipeline.incremental` off) it is a pass-through. A
 * signature that fails or runs out of budget is simply not memoized: the
 * coordinator signs that document itself and decides as in-process.
 */
export function createNearDedupPresignStage(opts: Partial<NearDedupOptions> = {}): Stage {
  const options = resolveNearDedupOptions(opts);
  return {
    name: 'near-dedup:presign',
    options: { ...options },
    // As near-dedup itself: the runner leaves texts in the blob store; signing reads the blob it needs.
    lazyText: true,
    run: (docs, ctx) => (options.enabled && ctx.memo ? presign(docs, ctx, options) : docs),
  };
}

async function* presign(docs: AsyncIterable<Doc>, ctx: StageContext, opts: ResolvedNearDedupOptions): AsyncGenerator<Doc> {
  // Stats go under near-dedup's own name: the shard's registry, never the coordinator's.
  const { config, step } = signSpec(opts, 'near-dedup');
  const batches = batch(docs, opts.batchFiles, 4 * 1024 * 1024, (d: Doc) => d.text?.length ?? d.size);
  const signed = mapOrdered(batches, Math.max(2, ctx.poolSize * 2), async (group) => {
    const memoizable = group.filter((d) => signatureKeyOf(d) !== null);
    if (memoizable.length > 0) await signGroup(memoizable, step, config, ctx);
    return group;
  });
  for await (const group of signed) yield* group;
}
