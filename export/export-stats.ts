import type { ExportRecord } from './records.js';
import type { SplitName } from './splits.js';
import type { TokenCounter } from './token-count.js';
import type { TransformOutput } from './transform.js';

/** Records, UTF-8 bytes of their text, and tokens when a tokenizer was named. */
export interface Tally {
  records: number;
  bytes: number;
  tokens?: number;
}

type BySplit = Partial<Record<SplitName, Tally>>;

/** What an export wrote, in the fixed vocabulary the manifest and the card share. */
export interface ExportStats {
  records: number;
  bytes: number;
  tokens?: number;
  /** Per document (per file inside repository samples). */
  fim: { psm: number; spm: number; none: number };
  fimSpans: { char: number; 'ast-node': number; 'ast-run': number };
  /** Syntax span wanted but character span used, by reason. */
  astFallback: Record<string, number>;
  fimSkipped: Record<string, number>;
  /** Files left out of repository samples (they contain the repository tokens). */
  repoExcluded: number;
  splits: BySplit;
  byDomain: Record<string, BySplit>;
  byLang: Record<string, BySplit>;
}

/** Accumulates export statistics; keys are sorted on output so the manifest is byte-stable. */
export function createExportStats(countTokens: TokenCounter | null) {
  const s: ExportStats = {
    records: 0, bytes: 0, fim: { psm: 0, spm: 0, none: 0 }, fimSpans: { char: 0, 'ast-node': 0, 'ast-run': 0 },
    astFallback: {}, fimSkipped: {}, repoExcluded: 0, splits: {}, byDomain: {}, byLang: {},
  };
  if (countTokens) s.tokens = 0;
  const bump = (map: Record<string, number>, key: string): void => void (map[key] = (map[key] ?? 0) + 1);
  const tally = (by: BySplit, split: SplitName, bytes: number, tokens: number | undefined): void => {
    const t = (by[split] ??= countTokens ? { records: 0, bytes: 0, tokens: 0 } : { records: 0, bytes: 0 });
    t.records++;
    t.bytes += bytes;
    if (tokens !== undefined) t.tokens! += tokens;
  };
  /** A record already measured elsewhere (an export part job): UTF-8 bytes of its text and its tokens. */
  const addTally = (meta: Pick<ExportRecord['meta'], 'split' | 'domain' | 'lang'>, bytes: number, tokens: number | undefined): void => {
    if (countTokens && tokens === undefined) throw new Error('export statistics count tokens: a measured record must carry its token count');
    if (!countTokens) tokens = undefined;
    s.records++;
    s.bytes += bytes;
    if (tokens !== undefined) s.tokens! += tokens;
    const { split, domain, lang } = meta;
    tally(s.splits, split, bytes, tokens);
    tally((s.byDomain[domain] ??= {}), split, bytes, tokens);
    tally((s.byLang[lang] ??= {}), split, bytes, tokens);
  };
  return {
    /** One transformed document (a file record, or a file inside a repository sample). */
    addDoc(out: TransformOutput): void {
      s.fim[out.fim ?? 'none']++;
      if (out.span) s.fimSpans[out.span.kind]++;
      if (out.astFallback) bump(s.astFallback, out.astFallback);
      if (out.skipped) bump(s.fimSkipped, out.skipped);
    },
    addRecord(rec: ExportRecord): void {
      addTally(rec.meta, Buffer.byteLength(rec.text), countTokens ? countTokens(rec.text) : undefined);
    },
    addTally,
    addExcluded(n: number): void {
      s.repoExcluded += n;
    },
    snapshot(): ExportStats {
      return { ...s, astFallback: sortKeys(s.astFallback), fimSkipped: sortKeys(s.fimSkipped), byDomain: sortKeys(s.byDomain), byLang: sortKeys(s.byLang) };
    },
  };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
