import type { Doc } from '../pipeline/doc.js';
import type { Stage, StageContext } from '../pipeline/stage.js';
import { compareKeep, keepRankOf, type KeepRank } from './keep-rule.js';

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

/** The copy that currently represents a content hash (shared by its exact and whitespace keys). */
interface Kept {
  doc: Doc;
  rank: KeepRank;
  /** True while the copy waits for the end of the stream (not yet yielded). */
  held: boolean;
}

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
 * Memory: one map entry per distinct hash, plus held documents without text
 * (bounded by `maxHeld`); out-of-core dedup belongs to the near-dedup stage.
 */
export function createExactDedupStage(options: ExactDedupOptions = DEFAULT_EXACT_DEDUP_OPTIONS): Stage {
  const name = 'exact-dedup';
  return {
    name,
    options: { ...options },
    async *run(docs, ctx) {
      const byHash = new Map<string, Kept>();
      const byNorm = new Map<string, Kept>();
      const held: Kept[] = [];
      for await (const doc of docs) {
        ctx.stats.seen(name);
        const norm = options.whitespace && doc.features ? doc.features.normSha256 : null;
        const exact = doc.sha256 ? byHash.get(doc.sha256) : undefined;
        const prior = exact ?? (norm ? byNorm.get(norm) : undefined);
        const rank = keepRankOf(doc);
        if (prior && !(prior.held && compareKeep(rank, prior.rank) < 0)) {
          // A yielded copy is permissive and earlier in stream order; a later one beating it means the stream was misordered.
          if (!prior.held && compareKeep(rank, prior.rank) < 0) ctx.stats.count(name, 'stream-order-violation');
          dropDuplicate(ctx, name, doc, prior.doc);
          continue;
        }
        if (prior) dropDuplicate(ctx, name, prior.doc, doc); // the held copy loses to a better one
        const kept: Kept = prior ?? { doc, rank, held: false };
        Object.assign(kept, { doc, rank, held: rank.license > 0 && held.length < options.maxHeld });
        if (doc.sha256) byHash.set(doc.sha256, kept);
        if (norm) byNorm.set(norm, kept);
        if (kept.held && doc.modifiedBy.length === 0) {
          doc.text = null;
          if (!prior) held.push(kept); // a replaced copy's entry is already queued, in its place
          continue;
        }
        if (rank.license > 0 && !kept.held) ctx.stats.count(name, 'held-overflow');
        kept.held = false;
        ctx.stats.kept(name);
        yield doc;
      }
      yield* releaseHeld(held, name, ctx);
    },
  };
}

/** The held copies that no better-licensed copy replaced, in their original order, text restored. */
async function* releaseHeld(held: Kept[], name: string, ctx: StageContext): AsyncGenerator<Doc> {
  for (const kept of held) {
    if (!kept.held) continue; // replaced by a copy that was yielded at once
    const doc = kept.doc;
    doc.text = doc.sha256 ? ctx.loadText(doc.sha256) : null;
    kept.held = false;
    ctx.stats.kept(name);
    yield doc;
  }
}

function dropDuplicate(ctx: StageContext, name: string, doc: Doc, keptCopy: Doc): void {
  const reason = doc.sha256 !== null && doc.sha256 === keptCopy.sha256 ? 'exact-duplicate' : 'whitespace-duplicate';
  ctx.stats.dropped(name, reason);
  ctx.drop(doc, name, reason, { duplicateOf: keptCopy.id, repo: keptCopy.repo, path: keptCopy.path });
}
