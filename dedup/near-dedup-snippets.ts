import type { DedupScratch, ScratchDoc } from './minhash-store.js';
import type { Doc } from '../pipeline/doc.js';
import { mapOrdered } from '../pipeline/map-ordered.js';
import type { StageContext } from '../pipeline/stage.js';
import { runItemSteps } from '../pipeline/worker-chain.js';
import { SNIPPET_SOURCES } from './cross-source.js';
import type { Keeper } from './near-dedup-keep.js';
import type { SignedCorpus } from './near-dedup-sign.js';
import { NEAR_DEDUP_TASK_MODULE, type ShingleItem } from './near-dedup-task.js';

/** Where a dropped snippet was found. */
export interface SnippetContainer {
  id: string;
  fileId: number;
  repo: string;
  path: string;
  containment: number;
}

/**
 * Pass 4 (only when the corpus has literature/web snippets): shingles every
 * kept repository file on the worker pool and probes the snippet index, then
 * resolves each contained snippet's best container. Reads texts a second time,
 * which is the price of not holding them: it is paid only when snippets exist.
 */
export async function findSnippetContainers(
  scratch: DedupScratch,
  signed: SignedCorpus,
  keepers: Map<number, Keeper>,
  ctx: StageContext,
  textOf: (row: ScratchDoc, doc: Doc) => string | null,
  shingleSize: number,
): Promise<Map<number, SnippetContainer>> {
  async function* batches(): AsyncGenerator<Array<{ ord: number; id: string; text: string }>> {
    let group: Array<{ ord: number; id: string; text: string }> = [];
    for (const row of scratch.docs()) {
      const doc = JSON.parse(row.record) as Doc;
      if (SNIPPET_SOURCES.has(doc.source) || !isKept(row.ord, signed, keepers)) continue;
      const text = textOf(row, doc);
      if (text === null) continue;
      group.push({ ord: row.ord, id: doc.id, text });
      if (group.length >= 64) {
        yield group;
        group = [];
      }
    }
    if (group.length > 0) yield group;
  }
  const step = { stage: 'near-dedup', module: NEAR_DEDUP_TASK_MODULE, fn: 'shingleStep', options: { shingleSize } };
  const shingled = mapOrdered(batches(), Math.max(2, ctx.poolSize * 2), async (group) => {
    const items: ShingleItem[] = group.map((g) => ({ text: g.text, blob: null }));
    return { group, outcomes: await runItemSteps(ctx, [step], items) };
  });
  for await (const { group, outcomes } of shingled) {
    // A file whose shingling failed contains no snippet as far as this pass knows.
    group.forEach((g, i) => outcomes[i]!.stop === null && signed.snippets.probe(g.ord, g.id, (outcomes[i]!.value as ShingleItem).shingles!));
  }
  const out = new Map<number, SnippetContainer>();
  for (const snippetOrd of signed.snippets.snippetOrds()) {
    const hit = signed.snippets.containerOf(snippetOrd);
    if (!hit) continue;
    const doc = JSON.parse(scratch.docAt(hit.fileOrd)!.record) as Doc;
    out.set(snippetOrd, { id: doc.id, fileId: doc.fileId, repo: doc.repo, path: doc.path, containment: Number(hit.containment.toFixed(4)) });
  }
  return out;
}

/** True when near-dedup keeps the document: alone, or its cluster's keeper. */
export function isKept(ord: number, signed: SignedCorpus, keepers: Map<number, Keeper>): boolean {
  if (signed.uf.sizeOf(ord) < 2) return true;
  return keepers.get(signed.uf.find(ord))?.ord === ord;
}
