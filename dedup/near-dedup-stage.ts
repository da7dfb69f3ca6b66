import { countSharedFiles, createClusterWriter, pruneClusters, writeFamilies } from './cluster-store.js';
import { createDedupScratch, dropStaleDedupScratch, type DedupScratch, type ScratchDoc } from './minhash-store.js';
import type { Doc } from '../pipeline/doc.js';
import { threadCpuMs } from '../pipeline/thread-cpu.js';
import type { Stage, StageContext } from '../pipeline/stage.js';
import { exactJaccard, textShingles } from './code-tokens.js';
import { SNIPPET_SOURCES } from './cross-source.js';
import { estimateJaccard } from './minhash.js';
import { settledByEstimate, type BandMerger, type SignedDoc } from './band-candidates.js';
import { clusterBands, clusterCandidates, lruCache } from './near-dedup-cluster.js';
import { chooseKeepers, countNearSharedFiles, type Keeper } from './near-dedup-keep.js';
import { resolveNearDedupOptions, type NearDedupOptions, type ResolvedNearDedupOptions } from './near-dedup-options.js';
import { signDocs, type SignedCorpus } from './near-dedup-sign.js';
import { findSnippetContainers, type SnippetContainer } from './near-dedup-snippets.js';
import { findRepoFamilies, type Family } from './repo-families.js';

const NAME = 'near-dedup';

/**
 * Near-duplicate removal (MinHash + LSH, out of core), repository fork
 * consolidation and cross-source snippet removal, as one chain of named passes
 * sharing one resolved config (recorded with the generation):
 *   1 sign      — signatures on the worker pool; records, signatures and band keys to scratch SQLite
 *   2 cluster   — sorted band keys → union-find, collisions confirmed by estimated (default) or exact Jaccard;
 *                 with a band merger (rebuild --queue) the bucket walk runs in band-partition jobs and
 *                 only the union-find and the exact checks run here
 *   3 families  — fork graph + shared files → repository families, canonical repository
 *   4 keep      — keeper per cluster by the keep rule (dedup/keep-rule.ts)
 *   5 snippets  — literature/web snippets contained in kept repository files (only if any)
 *   6 emit      — documents in input order, text restored, drops with the kept member
 * The stage must see every document before deciding, so it yields nothing until
 * its input ends; memory holds ~12 bytes per document plus one record per cluster.
 */
export function createNearDedupStage(opts: Partial<NearDedupOptions> = {}, services: NearDedupServices = {}): Stage {
  const options = resolveNearDedupOptions(opts);
  return {
    name: NAME,
    options: { ...options },
    lazyText: true,
    run: (docs, ctx) => (options.enabled ? runNearDedup(docs, ctx, options, services.bandMerger ?? null) : passThrough(docs, ctx)),
  };
}

/** Where parts of the stage run (not options: they never change a result, so they are not recorded). */
export interface NearDedupServices {
  /** Runs pass 2's bucket walk elsewhere (`rebuild --queue`: band-partition jobs). @default in-process (clusterBands) */
  bandMerger?: BandMerger;
}

async function* passThrough(docs: AsyncIterable<Doc>, ctx: StageContext): AsyncGenerator<Doc> {
  for await (const doc of docs) {
    ctx.stats.seen(NAME);
    ctx.stats.kept(NAME);
    yield doc;
  }
}

async function* runNearDedup(docs: AsyncIterable<Doc>, ctx: StageContext, opts: ResolvedNearDedupOptions, merger: BandMerger | null): AsyncGenerator<Doc> {
  dropStaleDedupScratch(ctx.db, ctx.genId);
  pruneClusters(ctx.db, ctx.genId);
  const scratch = createDedupScratch(ctx.db, ctx.genId);
  try {
    const signed = await signDocs(docs, scratch, opts, ctx, NAME, merger === null);
    const textOf = (row: ScratchDoc, doc: Doc): string | null => row.text ?? (doc.textSha256 ? ctx.loadText(doc.textSha256) : null);
    const cpu0 = threadCpuMs();
    if (merger) await clusterElsewhere(merger, scratch, signed, opts, textOf, ctx);
    else clusterBands(scratch, signed, opts.threshold, candidateCheck(scratch, opts, textOf));
    // This thread's CPU for pass 2 (the bucket walk or, with a merger, handing over the signatures and
    // union-finding the candidates; 10 ms resolution): what bench:scale-out compares.
    const cpu1 = threadCpuMs();
    if (cpu0 !== null && cpu1 !== null) ctx.stats.count(NAME, 'cluster-cpu-ms', cpu1 - cpu0);
    const families = consolidateRepos(scratch, signed, ctx, opts.familyOverlap);
    const keepers = chooseKeepers(scratch, signed, families);
    const containers =
      signed.snippets.size > 0 ? await findSnippetContainers(scratch, signed, keepers, ctx, textOf, opts.shingleSize) : new Map<number, SnippetContainer>();
    yield* emit(scratch, signed, keepers, families, containers, ctx);
  } finally {
    scratch.dispose();
  }
}

/** Pass 2 through a band merger: the candidates come back, the union-find and the exact checks stay here. */
async function clusterElsewhere(
  merger: BandMerger,
  scratch: DedupScratch,
  signed: SignedCorpus,
  opts: ResolvedNearDedupOptions,
  textOf: (row: ScratchDoc, doc: Doc) => string | null,
  ctx: StageContext,
): Promise<void> {
  const docs = function* (): Generator<SignedDoc> {
    for (const { ord, sig } of scratch.signatures()) if (signed.banded[ord]) yield { ord, stable: signed.stableKey[ord]!, sig };
  };
  const params = { bands: opts.lsh.bands, rows: opts.lsh.rows, verify: opts.verify, threshold: opts.threshold, exactMargin: opts.exactMargin };
  const candidates = await merger.merge(docs, params);
  const exact = opts.verify === 'exact' || opts.verify === 'hybrid' ? exactCheck(scratch, opts, textOf) : null;
  const applied = clusterCandidates(signed, candidates, opts.threshold, exact);
  ctx.stats.count(NAME, 'band-edges-merged', applied.edges);
  if (applied.exactChecks > 0) ctx.stats.count(NAME, 'exact-checks', applied.exactChecks);
}

/** Exact Jaccard of two documents' shingle sets (texts re-read, shingles cached). */
function exactCheck(scratch: DedupScratch, opts: ResolvedNearDedupOptions, textOf: (row: ScratchDoc, doc: Doc) => string | null): (a: number, b: number) => number {
  const shingles = lruCache((ord) => {
    const row = scratch.docAt(ord)!;
    return textShingles(textOf(row, JSON.parse(row.record) as Doc) ?? '', opts.shingleSize);
  }, 512);
  return (a, b) => exactJaccard(shingles(a), shingles(b));
}

/** The pair check of pass 2 for the configured `verify` mode (null: every band collision joins). */
function candidateCheck(
  scratch: DedupScratch,
  opts: ResolvedNearDedupOptions,
  textOf: (row: ScratchDoc, doc: Doc) => string | null,
): ((a: number, b: number) => number) | null {
  if (opts.verify === 'estimate') {
    const sig = lruCache((ord) => scratch.signature(ord)!, 1024);
    return (a, b) => estimateJaccard(sig(a), sig(b));
  }
  if (opts.verify === 'exact' || opts.verify === 'hybrid') {
    const exact = exactCheck(scratch, opts, textOf);
    if (opts.verify === 'exact') return exact;
    const sig = lruCache((ord) => scratch.signature(ord)!, 1024);
    return (a, b) => {
      const e = estimateJaccard(sig(a), sig(b));
      return settledByEstimate(opts, e) ? e : exact(a, b);
    };
  }
  return null;
}

/** Pass 3: repository families from the fork graph, identical files (raw layer) and near-duplicate clusters. */
function consolidateRepos(scratch: DedupScratch, signed: SignedCorpus, ctx: StageContext, overlap: number): Map<string, Family> {
  const exact = countSharedFiles(ctx.db, 16, ctx.snapshot);
  const shared = new Map<string, { a: string; b: string; shared: number }>();
  for (const p of [...exact.pairs, ...countNearSharedFiles(scratch, signed)]) {
    const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
    const key = `${a}\0${b}`;
    const prev = shared.get(key);
    shared.set(key, { a, b, shared: (prev?.shared ?? 0) + p.shared });
  }
  const families = findRepoFamilies({ repos: signed.repos, files: exact.files, shared: [...shared.values()], overlap });
  writeFamilies(
    ctx.db,
    ctx.genId,
    [...families].map(([repo, f]) => ({ repo, canonical: f.canonical, evidence: { ...f.members.get(repo) } })),
  );
  return families;
}

/** Pass 6: every document once, in input order: kept ones with their text back, the rest dropped with the kept member. */
function* emit(
  scratch: DedupScratch,
  signed: SignedCorpus,
  keepers: Map<number, Keeper>,
  families: Map<string, Family>,
  containers: Map<number, SnippetContainer>,
  ctx: StageContext,
): Generator<Doc> {
  const clusters = createClusterWriter(ctx.db, ctx.genId);
  for (const row of scratch.docs()) {
    const doc = JSON.parse(row.record) as Doc;
    const family = families.get(doc.repo)?.canonical ?? null;
    const keeper = signed.uf.sizeOf(row.ord) > 1 ? keepers.get(signed.uf.find(row.ord))! : null;
    if (keeper && keeper.ord !== row.ord) {
      const jaccard = Number(estimateJaccard(scratch.signature(row.ord)!, scratch.signature(keeper.ord)!).toFixed(4));
      clusters.write({ kind: 'near-duplicate', cluster: keeper.id, fileId: doc.fileId, kept: false, similarity: jaccard, family });
      ctx.stats.dropped(NAME, 'near-duplicate');
      const details = { duplicateOf: keeper.id, repo: keeper.repo, path: keeper.path, cluster: keeper.id, jaccard, ...(family ? { family } : {}) };
      ctx.drop(doc, NAME, 'near-duplicate', details);
      continue;
    }
    if (keeper) clusters.write({ kind: 'near-duplicate', cluster: keeper.id, fileId: doc.fileId, kept: true, similarity: 1, family });
    const container = SNIPPET_SOURCES.has(doc.source) ? containers.get(row.ord) : undefined;
    if (container) {
      clusters.write({ kind: 'contained-snippet', cluster: container.id, fileId: doc.fileId, kept: false, similarity: container.containment, family: null });
      clusters.write({ kind: 'contained-snippet', cluster: container.id, fileId: container.fileId, kept: true, similarity: 1, family: null });
      ctx.stats.dropped(NAME, 'contained-in-repository');
      const details = { duplicateOf: container.id, repo: container.repo, path: container.path, containment: container.containment };
      ctx.drop(doc, NAME, 'contained-in-repository', details);
      continue;
    }
    // A changed text comes back from scratch; an unchanged one stays in the blob store (textSha256) until a stage needs it.
    doc.text = row.text;
    ctx.stats.kept(NAME);
    yield doc;
  }
  clusters.flush();
}
