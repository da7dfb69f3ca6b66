import type { Doc } from '../../pipeline/doc.js';
import { proveRefinement, type ProofMethod, type ProofStatus, type RefinementProof } from './refinement-proof.js';
import type { CheckEnv, CheckInput } from './run-check.js';

/**
 * Refinements that only change layout (normalize): proven against the text
 * they started from, and reverted — that text ships — when not proven
 * identical.
 */
const COSMETIC = new Set(['normalize']);

/** What a refinement step's proof decided. */
export interface RefinementStep {
  stage: string;
  status: ProofStatus;
  method: ProofMethod | null;
  detail: string;
  /** `reverted`: its text was not shipped. Redactions are always kept. */
  action: 'kept' | 'reverted';
}

/**
 * `verification.refinement`: the proofs and which text the export gets.
 * `status` is the worst step's (identical < not-checkable < mismatch).
 */
export interface RefinementVerdict extends RefinementProof {
  /** `refined`: every refinement; `redacted`: the redaction only (layout fixes reverted); `original`: the crawled text. */
  shipped: 'refined' | 'redacted' | 'original';
  steps: RefinementStep[];
}

export interface RefinementEnv extends CheckEnv {
  /** The crawled text of a document a stage refined (null when unknown). */
  loadOriginal(doc: Doc): string | null;
}

/**
 * Decides which text of a refined document ships (issue 18). The crawled
 * text is proven against the refined one; on anything but `identical`, the
 * layout fixes are proven against the redacted text they started from. A
 * layout fix that is not proven identical is reverted: the redacted (or
 * crawled) text ships. A redaction is never undone — that would publish the
 * personal data it removed: one that changes the compiled program (an e-mail
 * inside a string literal) is recorded as its step's `mismatch`, counted
 * (`refinement:redaction-changes-code`), and the file ships redacted.
 * Mutates `doc` (text, modifiedBy) on a revert. Null when no proof applies.
 */
export async function settleRefinement(doc: Doc, input: CheckInput, env: RefinementEnv): Promise<RefinementVerdict | null> {
  const original = doc.text === null ? null : env.loadOriginal(doc);
  if (original === null || doc.text === null) return null;
  const stages = [...doc.modifiedBy];
  const refined = doc.text;
  const prove = (before: string, after: string): Promise<RefinementProof | null> =>
    proveRefinement(doc.lang, doc.domain, before, { ...input, target: { path: input.target.path, text: after } }, env);
  const whole = original === refined ? identicalProof(stages) : await prove(original, refined);
  if (!whole) return null;
  // Stages [0, split) protect (redaction), [split, n) are layout fixes; the text between them is kept in doc.textBefore.
  const split = firstCosmeticSuffix(stages);
  const between = split === 0 ? original : split === stages.length ? refined : doc.textBefore?.[stages[split]!];
  delete doc.textBefore;
  let steps: RefinementStep[];
  if (whole.status === 'identical' || split === 0 || split === stages.length) {
    steps = stages.map((stage) => step(stage, whole, whole.status !== 'identical' && COSMETIC.has(stage)));
  } else if (between === undefined) {
    // The layout fixes cannot be separated from the redaction: keep both (never undo a redaction), say so.
    const unknown: RefinementProof = { ...whole, status: 'not-checkable', detail: `the text before ${stages[split]} was not kept` };
    steps = stages.map((stage, i) => step(stage, i < split ? whole : unknown, false));
  } else {
    const layout = (await prove(between, refined)) ?? whole;
    const layoutOk = layout.status === 'identical';
    const redaction = layoutOk ? whole : ((await prove(original, between)) ?? whole);
    steps = stages.map((stage, i) => (i < split ? step(stage, redaction, false) : step(stage, layout, !layoutOk)));
  }
  const kept = stages.filter((_, i) => steps[i]!.action === 'kept');
  if (kept.length < stages.length) revert(doc, kept, kept.length === 0 ? original : between!, steps);
  const worst = steps.find((s) => s.status === 'mismatch') ?? steps.find((s) => s.status === 'not-checkable');
  const headline = worst ? { status: worst.status, method: worst.method, detail: `${worst.stage}: ${worst.detail}` } : { status: 'identical' as const, method: whole.method, detail: '' };
  const shipped = kept.length === stages.length ? 'refined' : kept.length === 0 ? 'original' : 'redacted';
  return { ...whole, ...headline, log: worst ? whole.log : '', shipped, steps };
}

/** Counter names for a verdict (`stats --json` → generation.stages.verify.counters). */
export function refinementCounters(v: RefinementVerdict): string[] {
  const out = [`refinement:${v.status}`, `refinement-shipped:${v.shipped}`];
  if (v.steps.some((s) => s.action === 'reverted')) out.push('refinement:reverted');
  if (v.steps.some((s) => !COSMETIC.has(s.stage) && s.status === 'mismatch')) out.push('refinement:redaction-changes-code');
  return out;
}

/** Index of the first stage of the trailing run of layout fixes (stages.length when there is none). */
function firstCosmeticSuffix(stages: readonly string[]): number {
  let i = stages.length;
  while (i > 0 && COSMETIC.has(stages[i - 1]!)) i--;
  return i;
}

function step(stage: string, p: RefinementProof, reverted: boolean): RefinementStep {
  return { stage, status: p.status, method: p.method, detail: p.detail, action: reverted ? 'reverted' : 'kept' };
}

function identicalProof(stages: readonly string[]): RefinementProof {
  return { status: 'identical', method: null, tool: '', version: '', detail: `${stages.join(', ')} left the text unchanged`, log: '' };
}

/** Ships `text` (what the reverted stages started from) and records why on each reverted stage's annotation. */
function revert(doc: Doc, kept: string[], text: string, steps: readonly RefinementStep[]): void {
  doc.text = text;
  // The refined blob the worker stored is no longer what ships: the rebuild stores this text instead.
  doc.textSha256 = null;
  doc.modifiedBy = kept;
  for (const s of steps) {
    if (s.action !== 'reverted') continue;
    const a = doc.annotations[s.stage];
    const why = `${s.status}: ${s.detail}`;
    doc.annotations[s.stage] = a && typeof a === 'object' ? { ...(a as Record<string, unknown>), reverted: why } : { reverted: why };
  }
}
