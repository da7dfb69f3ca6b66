import type { DedupScratch } from './minhash-store.js';
import type { Doc } from '../pipeline/doc.js';
import { batch, mapOrdered } from '../pipeline/map-ordered.js';
import type { WorkerPool } from '../pipeline/worker-pool.js';
import { SNIPPET_SOURCES, SnippetIndex } from './cross-source.js';
import { keepRankOf } from './keep-rule.js';
import type { ResolvedNearDedupOptions } from './near-dedup-options.js';
import type { SignResult, SignTask } from './near-dedup-task.js';
import type { RepoFacts } from './repo-families.js';
import { UnionFind } from './union-find.js';

/** What pass 1 leaves in memory: ~12 bytes per document plus per-repository facts and the snippet index. */
export interface SignedCorpus {
  count: number;
  uf: UnionFind;
  /** Per ordinal, 32 bits of the stable doc id: orders candidates independently of input order. */
  stableKey: Uint32Array;
  snippets: SnippetIndex;
  repos: Map<string, RepoFacts>;
}

/**
 * Pass 1: signs every document on the worker pool (input order kept), writes
 * its record, signature and band keys to the scratch store and lets go of its
 * text. Only ordinals, stable keys and repository facts stay in memory.
 */
export async function signDocs(
  docs: AsyncIterable<Doc>,
  pool: WorkerPool,
  scratch: DedupScratch,
  opts: ResolvedNearDedupOptions,
  onSeen: () => void,
): Promise<SignedCorpus> {
  const uf = new UnionFind();
  let stableKey: Uint32Array = new Uint32Array(1024);
  const snippets = new SnippetIndex(opts.containment);
  const repos = new Map<string, RepoFacts>();
  const batches = batch(docs, opts.batchFiles, 4 * 1024 * 1024, (d: Doc) => d.text?.length ?? 0);
  const signed = mapOrdered(batches, pool.size * 2, async (group) => {
    const task: SignTask = {
      kind: 'sign',
      texts: group.map((d) => d.text ?? ''),
      wantShingles: group.map((d) => SNIPPET_SOURCES.has(d.source)),
      shingleSize: opts.shingleSize,
      numPerm: opts.numPerm,
      seed: opts.seed,
      bands: opts.lsh.bands,
      rows: opts.lsh.rows,
    };
    return { group, results: await pool.run<SignTask, SignResult[]>(task) };
  });
  for await (const { group, results } of signed) {
    group.forEach((doc, i) => {
      const r = results[i]!;
      onSeen();
      const ord = uf.add();
      if (ord >= stableKey.length) {
        const grown = new Uint32Array(stableKey.length * 2);
        grown.set(stableKey);
        stableKey = grown;
      }
      stableKey[ord] = Number.parseInt(doc.id.slice(0, 8), 16) >>> 0;
      noteRepo(repos, doc);
      const hasText = doc.text !== null;
      scratch.addDoc(ord, JSON.stringify({ ...doc, text: null, blob: null }), r.sig, doc.modifiedBy.length > 0 ? doc.text : null);
      if (hasText) scratch.addBands(ord, r.keys);
      if (r.shingles && r.shingles.length >= opts.minSnippetShingles) snippets.add(ord, r.shingles);
      doc.text = null;
    });
  }
  scratch.flush();
  return { count: uf.length, uf, stableKey, snippets, repos };
}

function noteRepo(repos: Map<string, RepoFacts>, doc: Doc): void {
  const rank = keepRankOf(doc);
  const known = repos.get(doc.repo);
  if (known) {
    known.license = Math.min(known.license, rank.license);
    return;
  }
  repos.set(doc.repo, { stars: rank.stars, forks: rank.forks, forkParent: doc.repoInfo.forkParent, revisionTime: rank.revisionTime, license: rank.license });
}
