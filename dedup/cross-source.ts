/**
 * Cross-source dedup: literature and web snippets are fragments of code, so the
 * test is containment — the share of a snippet's shingles found in one
 * repository file — not Jaccard, which a 10-line excerpt of a 500-line file
 * would never reach. Snippets are few and small next to repositories, so their
 * shingles are indexed in memory (hash → snippets) and every kept repository
 * file is probed against the index once.
 */

/** Sources whose documents are fragments (set by the literature and web crawlers). */
export const SNIPPET_SOURCES: ReadonlySet<string> = new Set(['pdf', 'web']);

export interface ContainmentHit {
  /** Ordinal of the containing repository file. */
  fileOrd: number;
  /** Stable id of the containing file (ties between equal containments go to the smaller id). */
  fileId: string;
  containment: number;
}

export class SnippetIndex {
  private readonly byHash = new Map<number, number[]>();
  private readonly sizes = new Map<number, number>();
  private readonly best = new Map<number, ContainmentHit>();

  constructor(private readonly threshold: number) {}

  get size(): number {
    return this.sizes.size;
  }

  /** Indexes one snippet's distinct shingles. */
  add(ord: number, shingles: Uint32Array): void {
    this.sizes.set(ord, shingles.length);
    for (const h of shingles) {
      const list = this.byHash.get(h);
      if (list) list.push(ord);
      else this.byHash.set(h, [ord]);
    }
  }

  /** Probes one repository file's distinct shingles and records the snippets it contains. */
  probe(fileOrd: number, fileId: string, shingles: Uint32Array): void {
    const counts = new Map<number, number>();
    for (const h of shingles) {
      const list = this.byHash.get(h);
      if (list) for (const s of list) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    for (const [snippet, n] of counts) {
      if (snippet === fileOrd) continue;
      const containment = n / this.sizes.get(snippet)!;
      if (containment < this.threshold) continue;
      const prev = this.best.get(snippet);
      if (!prev || containment > prev.containment || (containment === prev.containment && fileId < prev.fileId)) {
        this.best.set(snippet, { fileOrd, fileId, containment });
      }
    }
  }

  /** Ordinals of the indexed snippets. */
  snippetOrds(): IterableIterator<number> {
    return this.sizes.keys();
  }

  /** The repository file that contains a snippet best, if any reached the threshold. */
  containerOf(snippetOrd: number): ContainmentHit | undefined {
    return this.best.get(snippetOrd);
  }
}
