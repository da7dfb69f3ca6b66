import type { DedupScratch, ScratchDoc } from './minhash-store.js';
import type { Doc } from '../pipeline/doc.js';
import { mapOrdered } from '../pipeline/map-ordered.js';
import type { WorkerPool } from '../pipeline/worker-pool.js';
import { SNIPPET_SOURCES } from './cross-source.js';
import type { Keeper } from './near-dedup-keep.js';
import type { SignedCorpus } from './near-dedup-sign.js';
import type { ShingleTask } from './near-dedup-task.js';

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
  pool: WorkerPool,
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
  const shingled = mapOrdered(batches(), pool.size * 2, async (group) => {
    const task: ShingleTask = { kind: 'shingles', texts: group.map((g) => g.text), shingleSize };
    return { group, sets: await pool.run<ShingleTask, Uint32Array[]>(task) };
  });
  for await (const { group, sets } of shingled) group.forEach((g, i) => signed.snippets.probe(g.ord, g.id, sets[i]!));
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
