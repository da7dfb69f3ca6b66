import type { Doc } from '../pipeline/doc.js';
import type { Stage } from '../pipeline/stage.js';
import type { StepEnv } from '../pipeline/task-protocol.js';
import { createWorkerStage } from '../pipeline/worker-chain.js';
import { compareAst } from './ast-compare.js';
import { normalizeText } from './normalize.js';
import { grammarFor } from './tree-sitter.js';

export interface NormalizeStageOptions {
  /** Normalize at all. @default true */
  enabled: boolean;
  /** Longest run of blank lines kept. @default 2 */
  maxBlankLines: number;
}

export const DEFAULT_NORMALIZE_OPTIONS: Readonly<NormalizeStageOptions> = { enabled: true, maxBlankLines: 2 };

/** Languages where trailing whitespace and blank runs are formatting (no grammar, but no meaning either). */
const PROSE = new Set(['markdown', 'text', 'restructuredtext']);

/**
 * Refines surface formatting and proves it changed nothing: the refined text
 * must parse to the same tree as the original (comments and whitespace
 * aside), else the original is kept and `annotations.normalize.rejected` says
 * why. Languages without a grammar get only BOM/CRLF/final-newline fixes.
 * Drops nothing.
 */
export function createNormalizeStage(opts: Partial<NormalizeStageOptions> = {}): Stage {
  const options: NormalizeStageOptions = { ...DEFAULT_NORMALIZE_OPTIONS, ...opts };
  return createWorkerStage({ name: 'normalize', options: { ...options }, step: { module: new URL('./normalize-stage.js', import.meta.url).href, fn: 'normalizeStep' } });
}

/** The stage's worker step (two tree-sitter parses for the AST check: the costly part). */
export function normalizeStep(doc: Doc, options: NormalizeStageOptions, env: StepEnv): void {
  if (!options.enabled || doc.text === null) return;
  const checked = grammarFor(doc.lang) !== null;
  const surfaceOnly = !checked && !PROSE.has(doc.lang);
  const r = normalizeText(doc.text, doc.lang, { maxBlankLines: options.maxBlankLines, surfaceOnly });
  if (r.changes.length === 0) return;
  const cmp = checked ? compareAst(doc.lang, doc.text, r.text) : null;
  if (cmp && !cmp.equal) {
    doc.annotations.normalize = { rejected: cmp.reason, changes: r.changes };
    env.count('ast-rejected');
    return;
  }
  doc.annotations.normalize = { changes: r.changes, check: cmp ? 'ast-equal' : surfaceOnly ? 'surface-only' : 'prose' };
  doc.annotations.originalSha256 = doc.sha256;
  // After a redaction, the redacted text is what a layout fix must be proven against (and reverted to).
  if (doc.modifiedBy.length > 0) (doc.textBefore ??= {}).normalize = doc.text;
  doc.text = r.text;
  doc.modifiedBy.push('normalize');
  env.count('refined');
}
