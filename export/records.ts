import type { TransformOutput } from './transform.js';
import type { SplitName } from './splits.js';
import type { FimMode, FimSpanKind } from './fim.js';
import type { KeptDoc } from '../corpus/kept-docs.js';

/** One file of a repository-level sample, in sample order. */
export interface RepoSampleFile {
  id: string;
  path: string;
  lang: string;
  domain: string;
  sha256: string;
  fim: FimMode | null;
  fim_span: FimSpanKind | null;
  fim_middle: [number, number] | null;
}

/**
 * DESIGN.md's record contract plus what trainers and audits ask for: the split,
 * how the FIM middle was chosen and where it sits in the source
 * (`fim_middle`: [start, end) in UTF-16 units), and for repository samples the
 * files in order. Key order is fixed, so JSON output is byte-stable.
 */
export interface RecordMeta {
  /** 'file' for one document, 'repo' for a repository-level sample. */
  kind: 'file' | 'repo';
  source: string;
  repo: string;
  /** null for repository samples. */
  path: string | null;
  lang: string;
  domain: string;
  license: string | null;
  /** The source document's sha256; for a repository sample, of the sample without FIM. */
  sha256: string;
  /** Always null for repository samples: FIM is per file (see `files`). */
  fim: FimMode | null;
  commit: string | null;
  split: SplitName;
  fim_span: FimSpanKind | null;
  fim_middle: [number, number] | null;
  /** Repository samples only: which piece of a repository cut at --repo-sample-size, from 0. */
  part?: number;
  /** Repository samples only. */
  files?: RepoSampleFile[];
}

export interface ExportRecord {
  id: string;
  text: string;
  meta: RecordMeta;
}

/** The record of one kept document after its FIM transform. */
export function fileRecord(doc: KeptDoc, out: TransformOutput, split: SplitName): ExportRecord {
  return {
    id: doc.id,
    text: out.text,
    meta: {
      kind: 'file',
      source: doc.source,
      repo: doc.repo,
      path: doc.path,
      lang: doc.lang,
      domain: doc.domain,
      license: doc.license,
      sha256: doc.sha256,
      fim: out.fim,
      commit: doc.commit,
      split,
      fim_span: out.span?.kind ?? null,
      fim_middle: out.span ? [out.span.lo, out.span.hi] : null,
    },
  };
}
