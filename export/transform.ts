import { errorRatio, parseSource } from '../annotate/tree-sitter.js';
import { pickAstSpan } from './fim-ast-spans.js';
import { applyFim, type FimMode, type FimSpan, type FimSpanPicker } from './fim.js';
import type { FimTokens } from './fim-tokens.js';
import { createRandom } from '../pipeline/seeded-random.js';

/** What the FIM transform needs to know; plain data, so it crosses to worker threads. */
export interface TransformConfig {
  seed: number;
  fimRate: number;
  spmRate: number;
  /** Share of FIM samples that get a syntax span (0 = character spans only). */
  astShare: number;
  tokens: FimTokens;
}

export interface TransformInput {
  id: string;
  lang: string;
  text: string;
}

/** Why a syntax span was wanted but a character span was used. */
export type AstFallback = 'no-grammar' | 'parse-error' | 'no-node' | 'parser-failed';

export interface TransformOutput {
  text: string;
  fim: FimMode | null;
  /** The middle in the source text, when FIM was applied. */
  span: FimSpan | null;
  skipped: 'contains-fim-token' | 'too-short' | null;
  astFallback: AstFallback | null;
}

/**
 * Above this share of ERROR/MISSING coverage a tree is not trusted for spans:
 * the clean nodes left are fragments of a file the grammar did not understand.
 */
const MAX_ERROR_RATIO = 0.5;

/**
 * FIM for one document. The character decisions come from the stream seeded
 * `seed:id` (the same draws as before syntax spans existed, so `--fim-spans
 * char` output is unchanged); syntax-span decisions from a second stream
 * `seed:id:ast`. Both depend only on the document, so output is the same in
 * any order and on any number of worker threads.
 */
export function transformDoc(doc: TransformInput, cfg: TransformConfig): TransformOutput {
  let astFallback: AstFallback | null = null;
  const astRng = createRandom(`${cfg.seed}:${doc.id}:ast`);
  const picker: FimSpanPicker | undefined =
    cfg.astShare > 0
      ? (text, charSpan) => {
          if (!(astRng.next() < cfg.astShare)) return charSpan;
          let tree: ReturnType<typeof parseSource>;
          try {
            tree = parseSource(doc.lang, text);
          } catch {
            // A grammar that cannot load here (e.g. a non-context-aware addon already
            // loaded by another thread) must not kill an export; the manifest counts it.
            return (astFallback = 'parser-failed'), charSpan;
          }
          if (!tree) return (astFallback = 'no-grammar'), charSpan;
          if (errorRatio(tree, text.length) > MAX_ERROR_RATIO) return (astFallback = 'parse-error'), charSpan;
          const span = pickAstSpan(tree, text, charSpan, astRng);
          if (!span) astFallback = 'no-node';
          return span ?? charSpan;
        }
      : undefined;
  const r = applyFim(doc.text, createRandom(`${cfg.seed}:${doc.id}`), cfg, picker);
  return {
    text: r.text,
    fim: r.fim,
    span: r.span ?? null,
    skipped: r.skipped === 'rate' || r.skipped === undefined ? null : r.skipped,
    astFallback,
  };
}
