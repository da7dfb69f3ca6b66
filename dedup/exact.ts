import type { Stage } from '../pipeline/stage.js';

export interface ExactDedupOptions {
  /** Also treat files equal up to whitespace as duplicates. @default true */
  whitespace: boolean;
}

/**
 * Exact dedup by sha256 of the content and of the whitespace-normalized text.
 *
 * Keep rule: the first copy seen wins, and rebuild feeds documents in keep-rule
 * order (see corpus/rebuild-source.ts: most stars, most forks, not a fork,
 * newest revision, then repository name and path), so the kept copy is the best
 * one and the choice does not depend on crawl order.
 *
 * Memory: one map entry per distinct hash (~150 bytes); out-of-core dedup
 * belongs to the near-dedup stage.
 */
export function createExactDedupStage(options: ExactDedupOptions = { whitespace: true }): Stage {
  const name = 'exact-dedup';
  return {
    name,
    options: { ...options },
    async *run(docs, ctx) {
      const byHash = new Map<string, { id: string; repo: string; path: string }>();
      const byNorm = new Map<string, { id: string; repo: string; path: string }>();
      for await (const doc of docs) {
        ctx.stats.seen(name);
        const first = doc.sha256 ? byHash.get(doc.sha256) : undefined;
        if (first) {
          ctx.stats.dropped(name, 'exact-duplicate');
          ctx.drop(doc, name, 'exact-duplicate', { duplicateOf: first.id, repo: first.repo, path: first.path });
          continue;
        }
        const norm = options.whitespace && doc.features ? doc.features.normSha256 : null;
        const firstNorm = norm ? byNorm.get(norm) : undefined;
        if (firstNorm) {
          ctx.stats.dropped(name, 'whitespace-duplicate');
          ctx.drop(doc, name, 'whitespace-duplicate', { duplicateOf: firstNorm.id, repo: firstNorm.repo, path: firstNorm.path });
          continue;
        }
        const self = { id: doc.id, repo: doc.repo, path: doc.path };
        if (doc.sha256) byHash.set(doc.sha256, self);
        if (norm) byNorm.set(norm, self);
        ctx.stats.kept(name);
        yield doc;
      }
    },
  };
}
