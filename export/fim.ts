/**
 * Fill-in-the-middle (FIM) document transform and its inverse.
 *
 * Follows Bavarian et al. 2022, "Efficient Training of Language Models to
 * Fill in the Middle" (arXiv:2207.14255): with probability `fimRate` a
 * document is cut at two uniformly random *character* positions into
 * prefix / middle / suffix (character-level spans, which the paper
 * recommends over line- or token-level spans) and re-ordered so that the
 * middle comes last. The draw order (FIM? → cut 1 → cut 2 → SPM?) follows
 * bigcode's Megatron-LM `permute()` used for SantaCoder/StarCoder, except
 * that we always draw all four numbers.
 *
 * Formats (PRE/SUF/MID = the preset's prefix/suffix/middle tokens):
 * - PSM: `PRE prefix SUF suffix MID middle`
 * - SPM: `PRE SUF suffix MID prefix middle` — the SPM *variant* from the
 *   paper's Appendix D, which is what StarCoder, DeepSeek-Coder etc. train
 *   on: putting PRE+SUF up front means the model sees the same token pair
 *   regardless of prefix length, and prefix→middle stays contiguous text.
 *
 * No EOT / document separator is appended: the trainer's packer inserts the
 * separator between documents for FIM and non-FIM records alike, so adding
 * it here would double it.
 */
import type { FimTokens } from './fim-tokens.js';
import type { Random } from '../pipeline/seeded-random.js';

/** Layout of a FIM record: prefix-suffix-middle or suffix-prefix-middle. */
export type FimMode = 'psm' | 'spm';

/**
 * Default probability of turning a document into a FIM record. 0.5 is the
 * rate StarCoder trained with (Li et al. 2023, arXiv:2305.06161) and that
 * Bavarian et al. 2022 show costs no left-to-right quality ("FIM-for-free").
 */
export const DEFAULT_FIM_RATE = 0.5;

/** Default share of FIM records using SPM (StarCoder's `fim_spm_rate`). */
export const DEFAULT_SPM_RATE = 0.5;

/** Options for {@link applyFim}. */
export interface FimOptions {
  /**
   * Probability in [0, 1] of applying FIM to a document.
   * @default 0.5 ({@link DEFAULT_FIM_RATE})
   */
  fimRate: number;
  /**
   * Probability in [0, 1] that a FIM record uses SPM rather than PSM.
   * @default 0.5 ({@link DEFAULT_SPM_RATE})
   */
  spmRate: number;
  /** Special tokens of the target tokenizer, e.g. `getFimTokens('starcoder')`. */
  tokens: FimTokens;
}

/** Output of {@link applyFim}. */
export interface FimResult {
  /** The formatted FIM record, or the original text if FIM was not applied. */
  text: string;
  /** Layout used, or `null` if the text is returned unchanged. */
  fim: FimMode | null;
  /** Why FIM was not applied, when it was not. */
  skipped?: 'rate' | 'contains-fim-token' | 'too-short';
  /** The middle [lo, hi) in the source and how it was chosen, when FIM was applied. */
  span?: FimSpan;
}

/** How a FIM middle was chosen: two random character cuts, one whole syntax node, or a run of sibling nodes. */
export type FimSpanKind = 'char' | 'ast-node' | 'ast-run';

/** A middle span [lo, hi) in UTF-16 units, and how it was chosen. */
export type FimSpan = { lo: number; hi: number; kind: FimSpanKind };

/** Replaces the drawn character span (syntax-aware FIM); called only when FIM is applied. */
export type FimSpanPicker = (text: string, charSpan: FimSpan) => FimSpan;

const OPTIONAL_TOKEN_KEYS = ['pad', 'eot', 'repoName', 'fileSep'] as const;

/**
 * Transform one document into a FIM record (or leave it unchanged).
 *
 * Always consumes the same four draws from `rng` in the same order, whatever
 * the outcome, so a shared stream stays aligned and results are stable.
 * Documents shorter than 2 UTF-16 units are skipped (`'too-short'`), as are
 * documents containing any of the preset's special-token strings
 * (`'contains-fim-token'`): such a record could not be parsed back
 * unambiguously, and would teach the model that sentinels occur in content.
 * These eligibility checks come before the rate draw, so the skip counts
 * report every ineligible document regardless of `fimRate`.
 *
 * @throws RangeError if `fimRate` / `spmRate` is not a finite number in [0, 1].
 * @throws TypeError if the prefix/suffix/middle tokens are empty, equal, or
 *   contain one another.
 */
export function applyFim(text: string, rng: Random, opts: FimOptions, pickSpan?: FimSpanPicker): FimResult {
  validateRate(opts.fimRate, 'fimRate');
  validateRate(opts.spmRate, 'spmRate');
  validateFimTokens(opts.tokens);
  const { tokens } = opts;
  const len = text.length;

  const fimDraw = rng.next();
  const cutA = rng.int(len + 1);
  const cutB = rng.int(len + 1);
  const spmDraw = rng.next();

  if (len < 2) return { text, fim: null, skipped: 'too-short' };
  if (containsAnyToken(text, tokens)) return { text, fim: null, skipped: 'contains-fim-token' };
  if (!(fimDraw < opts.fimRate)) return { text, fim: null, skipped: 'rate' };

  // Adjusting after sorting keeps lo <= hi: equal cuts move together, and
  // if lo < hi then lo' <= lo + 1 <= hi <= hi'.
  const charSpan: FimSpan = {
    lo: avoidSurrogateSplit(text, Math.min(cutA, cutB)),
    hi: avoidSurrogateSplit(text, Math.max(cutA, cutB)),
    kind: 'char',
  };
  const { lo, hi, kind } = pickSpan ? pickSpan(text, charSpan) : charSpan;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi && hi <= len)) {
    throw new RangeError(`applyFim: span picker returned [${lo}, ${hi}) outside a text of ${len} units`);
  }
  const mode: FimMode = spmDraw < opts.spmRate ? 'spm' : 'psm';
  const formatted = formatFim(text.slice(0, lo), text.slice(lo, hi), text.slice(hi), mode, tokens);

  // The content is free of tokens, but with custom tokens an occurrence could
  // still straddle a content/token boundary (e.g. tokens "ab" and "b|" with
  // content ending in "a"). Built-in presets cannot trigger this (each is
  // '<...>' with '<' and '>' only at its ends); the check is cheap and
  // guarantees that reassembleFim() always inverts our output.
  if (!hasExactlyOnce(formatted, tokens.prefix) || !hasExactlyOnce(formatted, tokens.suffix) ||
      !hasExactlyOnce(formatted, tokens.middle)) {
    return { text, fim: null, skipped: 'contains-fim-token' };
  }
  return { text: formatted, fim: mode, span: { lo, hi, kind } };
}

/** Lays out prefix, middle and suffix as a PSM or SPM record (see the module comment). */
export function formatFim(prefix: string, middle: string, suffix: string, mode: FimMode, tokens: FimTokens): string {
  return mode === 'spm'
    ? tokens.prefix + tokens.suffix + suffix + tokens.middle + prefix + middle
    : tokens.prefix + prefix + tokens.suffix + suffix + tokens.middle + middle;
}

/**
 * Inverse of {@link applyFim}: recover the original document from a record.
 *
 * @param formatted Text produced by `applyFim` (`FimResult.text`).
 * @param fim The `FimResult.fim` it was produced with; `null` returns
 *   `formatted` unchanged.
 * @param tokens The same tokens used to produce it.
 * @throws Error if each of prefix/suffix/middle does not occur exactly once
 *   in the expected layout.
 */
export function reassembleFim(formatted: string, fim: FimMode | null, tokens: FimTokens): string {
  if (fim === null) return formatted;
  if (fim !== 'psm' && fim !== 'spm') {
    throw new Error(`reassembleFim: unknown FIM mode ${JSON.stringify(fim)}; expected 'psm', 'spm' or null`);
  }
  validateFimTokens(tokens);
  const pre = findUnique(formatted, tokens.prefix, 'prefix');
  const suf = findUnique(formatted, tokens.suffix, 'suffix');
  const mid = findUnique(formatted, tokens.middle, 'middle');
  const sufEnd = suf + tokens.suffix.length;
  const midEnd = mid + tokens.middle.length;

  if (fim === 'psm') {
    if (pre !== 0 || suf < tokens.prefix.length || mid < sufEnd) {
      throw new Error('reassembleFim: text is not in PSM layout (PRE prefix SUF suffix MID middle)');
    }
    const prefix = formatted.slice(tokens.prefix.length, suf);
    const suffix = formatted.slice(sufEnd, mid);
    return prefix + formatted.slice(midEnd) + suffix;
  }
  if (pre !== 0 || suf !== tokens.prefix.length || mid < sufEnd) {
    throw new Error('reassembleFim: text is not in SPM layout (PRE SUF suffix MID prefix middle)');
  }
  // prefix and middle are adjacent in SPM, so the cut between them is not
  // needed: original = prefix + middle + suffix.
  return formatted.slice(midEnd) + formatted.slice(sufEnd, mid);
}

function validateRate(value: unknown, name: 'fimRate' | 'spmRate'): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`FIM option ${name} must be a finite number in [0, 1], got ${String(value)}`);
  }
}

function validateFimTokens(tokens: FimTokens): void {
  const core = [
    ['prefix', tokens.prefix],
    ['suffix', tokens.suffix],
    ['middle', tokens.middle],
  ] as const;
  for (const [key, value] of core) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError(`FIM token ${key} must be a non-empty string`);
    }
  }
  for (const [keyA, a] of core) {
    for (const [keyB, b] of core) {
      if (keyA !== keyB && a.includes(b)) {
        // Overlapping tokens would make the record ambiguous to split.
        throw new TypeError(
          `FIM token ${keyA} (${JSON.stringify(a)}) contains token ${keyB} (${JSON.stringify(b)})`,
        );
      }
    }
  }
  for (const key of OPTIONAL_TOKEN_KEYS) {
    const value = tokens[key];
    // An empty string would "occur" in every text and silently disable FIM.
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new TypeError(`FIM token ${key} must be a non-empty string when set`);
    }
  }
}

function containsAnyToken(text: string, tokens: FimTokens): boolean {
  if (text.includes(tokens.prefix) || text.includes(tokens.suffix) || text.includes(tokens.middle)) {
    return true;
  }
  return OPTIONAL_TOKEN_KEYS.some((key) => {
    const value = tokens[key];
    return value !== undefined && text.includes(value);
  });
}

/** Move a cut forward by one if it would separate a surrogate pair. */
function avoidSurrogateSplit(text: string, cut: number): number {
  if (cut <= 0 || cut >= text.length) return cut;
  const before = text.charCodeAt(cut - 1);
  const after = text.charCodeAt(cut);
  const isHigh = before >= 0xd800 && before <= 0xdbff;
  const isLow = after >= 0xdc00 && after <= 0xdfff;
  return isHigh && isLow ? cut + 1 : cut;
}

/** True if `token` occurs exactly once, counting overlapping occurrences. */
function hasExactlyOnce(haystack: string, token: string): boolean {
  const first = haystack.indexOf(token);
  return first !== -1 && haystack.indexOf(token, first + 1) === -1;
}

function findUnique(haystack: string, token: string, role: string): number {
  const first = haystack.indexOf(token);
  if (first === -1) throw new Error(`reassembleFim: ${role} token ${JSON.stringify(token)} not found`);
  if (haystack.indexOf(token, first + 1) !== -1) {
    throw new Error(`reassembleFim: ${role} token ${JSON.stringify(token)} occurs more than once`);
  }
  return first;
}
