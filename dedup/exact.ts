import type { Doc } from '../pipeline/doc.js';
import type { Stage, StageContext } from '../pipeline/stage.js';
import { createExactScratch, type CopyIdentity } from './exact-store.js';
import { HashIndex } from './hash-index.js';
import { keepRankOf } from './keep-rule.js';
import { doubled } from './typed-grow.js';

export interface ExactDedupOptions {
  /** Also treat files equal up to whitespace as duplicates. @default true */
  whitespace: boolean;
  /**
   * Documents without a permissive license that may wait for a better-licensed
   * copy; past this, the first copy seen wins (counted as `held-overflow`). @default 250000
   */
  maxHeld: number;
}

export const DEFAULT_EXACT_DEDUP_OPTIONS: Readonly<ExactDedupOptions> = { whitespace: true, maxHeld: 250_000 };

/** Slot state, per distinct content: license category of its copy, and whether that copy is held. */
class Slots {
  license: Uint8Array = new Uint8Array(1024);
  held: Uint8Array = new Uint8Array(1024);
  count = 0;

  add(): number {
    if (this.count === this.license.length) {
      this.license = doubled(this.license);
      this.held = doubled(this.held);
    }
    return this.count++;
  }
}

/** Salt of whitespace-normalized keys: the two hashes never share a slot by accident. */
const NORM_SALT = 0x5bd1e995;

/**
 * Exact dedup by sha256 of the content and of the whitespace-normalized text,
 * with the keep rule of dedup/keep-rule.ts (license class under the configured
 * policy, then stars, forks, originals, newest, name, path). Rebuild feeds
 * documents in that order minus the license (keep-rule STREAM_ORDER), so a
 * permissive first copy is the best one and is yielded at once; any other first
 * copy is held — text released, re-read at the end — and replaced by any later
 * copy compareKeep prefers, until the stream ends. So the choice never depends
 * on crawl order.
 *
 * Memory is bounded by design: per distinct content, one 64-bit key per hash
 * in a typed-array table (dedup/hash-index.ts) and two bytes of state; the
 * identity of each kept copy and every held document live in a TEMP table
 * (dedup/exact-store.ts), so nothing per document stays on the heap.
 */
export function createExactDedupStage(options: ExactDedupOptions = DEFAULT_EXACT_DEDUP_OPTIONS): Stage {
  const name = 'exact-dedup';
  return {
    name,
    options: { ...options },
    lazyText: true,
    async *run(docs, ctx) {
      const index = new HashIndex();
      const slots = new Slots();
      const scratch = createExactScratch(ctx.db);
      let heldNow = 0;
      try {
        for await (const doc of docs) {
          ctx.stats.seen(name);
          const norm = options.whitespace && doc.features ? doc.features.normSha256 : null;
          let slot = doc.sha256 ? index.get(doc.sha256) : -1;
          if (slot < 0 && norm) slot = index.get(norm, NORM_SALT);
          // The license class under the configured policy; the rest of the keep rule is the stream order.
          const license = keepRankOf(doc).license;
          if (slot >= 0 && !(slots.held[slot] && license < slots.license[slot]!)) {
            dropDuplicate(ctx, name, doc, scratch.identity(slot));
            continue;
          }
          if (slot >= 0) {
            // The held copy loses to a better-licensed one, which takes its slot (and its place in the queue).
            dropDuplicate(ctx, name, scratch.heldDoc(slot), doc);
            heldNow--;
          } else slot = slots.add();
          const hold = license > 0 && heldNow < options.maxHeld;
          slots.license[slot] = license;
          slots.held[slot] = hold ? 1 : 0;
          if (doc.sha256) index.set(doc.sha256, slot);
          if (norm) index.set(norm, slot, NORM_SALT);
          scratch.set(slot, doc, hold);
          if (hold) {
            heldNow++;
            if (doc.modifiedBy.length === 0) doc.text = null;
            continue;
          }
          if (license > 0) ctx.stats.count(name, 'held-overflow');
          ctx.stats.kept(name);
          yield doc;
        }
        for (const slot of scratch.heldSlots()) {
          // The text stays in the blob store (textSha256); the next stage that needs it reads it back.
          const doc = scratch.heldDoc(slot);
          ctx.stats.kept(name);
          yield doc;
        }
      } finally {
        scratch.dispose();
      }
    },
  };
}

function dropDuplicate(ctx: StageContext, name: string, doc: Doc, keptCopy: CopyIdentity): void {
  const reason = doc.sha256 !== null && doc.sha256 === keptCopy.sha256 ? 'exact-duplicate' : 'whitespace-duplicate';
  ctx.stats.dropped(name, reason);
  ctx.drop(doc, name, reason, { duplicateOf: keptCopy.id, repo: keptCopy.repo, path: keptCopy.path });
}
