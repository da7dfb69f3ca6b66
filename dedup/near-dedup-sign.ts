import type { DedupScratch } from './minhash-store.js';
import type { Doc } from '../pipeline/doc.js';
import { mapBatchesAhead } from '../pipeline/map-ordered.js';
import { STAGE_ERROR, STAGE_TIMEOUT, type StageContext } from '../pipeline/stage.js';
import type { StepSpec } from '../pipeline/task-protocol.js';
import { memoScope, runItemSteps } from '../pipeline/worker-chain.js';
import { bandKeys } from './minhash.js';
import { SNIPPET_SOURCES, SnippetIndex } from './cross-source.js';
import { keepRankOf } from './keep-rule.js';
import type { ResolvedNearDedupOptions } from './near-dedup-options.js';
import { NEAR_DEDUP_TASK_MODULE, type SignConfig, type SignItem } from './near-dedup-task.js';
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
  /** Per ordinal, 1 when the document has band keys (it has text): the documents pass 2 buckets. */
  banded: Uint8Array;
}

/**
 * Pass 1: signs every document on the worker pool (input order kept), writes
 * its record, signature and band keys to the scratch store and lets go of its
 * text. Only ordinals, stable keys and repository facts stay in memory. A
 * signature is memoized by text hash and sign config, so an unchanged
 * document is never read again. A document whose signing fails or runs past
 * the budget leaves with `stage-error` / `stage-timeout` (issue 12).
 */
export async function signDocs(
  docs: AsyncIterable<Doc>,
  scratch: DedupScratch,
  opts: ResolvedNearDedupOptions,
  ctx: StageContext,
  name: string,
  /** Write band keys to scratch (false: pass 2 runs elsewhere, from the signatures). @default true */
  writeBands = true,
): Promise<SignedCorpus> {
  const uf = new UnionFind();
  let stableKey: Uint32Array = new Uint32Array(1024);
  let banded: Uint8Array = new Uint8Array(1024);
  const snippets = new SnippetIndex(opts.containment);
  const repos = new Map<string, RepoFacts>();
  const { config, step } = signSpec(opts, name);
  const sizes = { maxItems: opts.batchFiles, maxWeight: 4 * 1024 * 1024, weigh: (d: Doc) => d.text?.length ?? d.size };
  const signed = mapBatchesAhead(docs, sizes, ctx.poolSize, (group) => signGroup(group, step, config, ctx));
  for await (const { group, results } of signed) {
    group.forEach((doc, i) => {
      const r = results[i]!;
      ctx.stats.seen(name);
      if ('failed' in r) {
        ctx.stats.dropped(name, r.failed);
        ctx.drop(doc, name, r.failed, { stage: name, message: r.message });
        return;
      }
      const ord = uf.add();
      if (ord >= stableKey.length) {
        const grown = new Uint32Array(stableKey.length * 2);
        grown.set(stableKey);
        stableKey = grown;
        const grownBanded = new Uint8Array(banded.length * 2);
        grownBanded.set(banded);
        banded = grownBanded;
      }
      stableKey[ord] = Number.parseInt(doc.id.slice(0, 8), 16) >>> 0;
      noteRepo(repos, doc);
      const hasText = doc.text !== null || Boolean(doc.textSha256);
      scratch.addDoc(ord, JSON.stringify({ ...doc, text: null, blob: null }), r.sig, doc.modifiedBy.length > 0 ? doc.text : null);
      if (hasText) banded[ord] = 1;
      if (hasText && writeBands) scratch.addBands(ord, bandKeys(r.sig, config.bands, config.rows));
      if (r.shingles && r.shingles.length >= opts.minSnippetShingles) snippets.add(ord, r.shingles);
      doc.text = null;
    });
  }
  scratch.flush();
  return { count: uf.length, uf, stableKey, snippets, repos, banded };
}

/** The sign config (part of a signature's memo scope) and the worker step of pass 1, from the resolved options. */
export function signSpec(opts: ResolvedNearDedupOptions, name: string): { config: SignConfig; step: StepSpec } {
  const config: SignConfig = { signature: opts.signature, shingleSize: opts.shingleSize, numPerm: opts.numPerm, seed: opts.seed, bands: opts.lsh.bands, rows: opts.lsh.rows };
  return { config, step: { stage: name, module: NEAR_DEDUP_TASK_MODULE, fn: 'signStep', options: config } };
}

/**
 * The memo key of a document's signature, or null when it is not memoized:
 * its text hash (the scope names the sign config and code version, so hash +
 * scope decide the signature exactly). Snippets are always signed afresh:
 * their shingle sets are needed too.
 */
export function signatureKeyOf(doc: Doc): string | null {
  return doc.textSha256 && !SNIPPET_SOURCES.has(doc.source) ? doc.textSha256 : null;
}

type Signed = { sig: Uint32Array; shingles: Uint32Array | null } | { failed: string; message: string };

/**
 * Signatures of one batch: from the memo, else on the pool (snippets always on
 * the pool). Counts `signature-memo-hits` and `signatures-computed` under the
 * stage's name, and the signing threads' CPU: with `rebuild --queue` the
 * shards filled the memo, so the first counter says the coordinator signed nothing itself.
 */
export async function signGroup(group: Doc[], step: StepSpec, config: SignConfig, ctx: StageContext): Promise<{ group: Doc[]; results: Signed[] }> {
  // Within the scope of the sign config, the text's hash is the key.
  const scope = memoScope(ctx, 'near-dedup-sign', config);
  const keys = group.map(signatureKeyOf);
  const hits = ctx.memo?.getMany(scope, keys.filter((k): k is string => k !== null)) ?? new Map<string, Uint8Array>();
  const results: Signed[] = new Array(group.length);
  const misses: number[] = [];
  group.forEach((d, i) => {
    const hit = keys[i] ? hits.get(keys[i]!) : undefined;
    if (hit) results[i] = { sig: new Uint32Array(hit.buffer.slice(hit.byteOffset, hit.byteOffset + hit.byteLength)), shingles: null };
    else misses.push(i);
  });
  const items: SignItem[] = misses.map((i) => {
    const d = group[i]!;
    const blob = d.text === null && d.textSha256 ? ctx.loadBlob(d.textSha256) : null;
    return { text: d.text, blob, wantShingles: SNIPPET_SOURCES.has(d.source) };
  });
  const outcomes = await runItemSteps(ctx, [step], items);
  if (group.length > misses.length) ctx.stats.count(step.stage, 'signature-memo-hits', group.length - misses.length);
  if (misses.length > 0) ctx.stats.count(step.stage, 'signatures-computed', misses.length);
  misses.forEach((i, k) => {
    const o = outcomes[k]!;
    if (o.cpuMs?.[0]) ctx.stats.addCpu(step.stage, o.cpuMs[0]);
    if (o.stop) {
      results[i] = { failed: o.stop.kind === 'timeout' ? STAGE_TIMEOUT : STAGE_ERROR, message: o.stop.kind === 'drop' ? o.stop.reason : o.stop.message };
      return;
    }
    const item = o.value as SignItem;
    results[i] = { sig: item.sig!, shingles: item.shingles ?? null };
    if (keys[i]) ctx.memo?.put(scope, keys[i]!, keys[i]!, new Uint8Array(item.sig!.buffer, item.sig!.byteOffset, item.sig!.byteLength));
  });
  return { group, results };
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
