/**
 * Fill-in-the-middle (FIM) special-token presets.
 *
 * The three sentinel roles (prefix / suffix / middle) come from Bavarian et
 * al. 2022, "Efficient Training of Language Models to Fill in the Middle"
 * (arXiv:2207.14255, §3). Each model family spells them differently, and the
 * strings must match the target tokenizer's added/special tokens *exactly*,
 * or the trainer's tokenizer will split them into ordinary sub-word pieces.
 */

/** Literal special-token strings used when formatting a FIM record. */
export interface FimTokens {
  /** Marks the start of the prefix (PSM) / of the whole FIM record (SPM). */
  prefix: string;
  /** Marks the start of the suffix. */
  suffix: string;
  /** Marks the start of the middle, i.e. the span the model learns to fill. */
  middle: string;
  /** Padding token, if the tokenizer defines a FIM-specific one. */
  pad?: string;
  /** End-of-text / document separator the trainer appends between documents. */
  eot?: string;
  /** Repository-name marker for repo-level documents (StarCoder2, Qwen2.5-Coder). */
  repoName?: string;
  /** File separator for repo-level documents (StarCoder2, Qwen2.5-Coder). */
  fileSep?: string;
}

/** Names of the built-in presets. */
export type FimPresetName = 'starcoder' | 'starcoder2' | 'deepseek' | 'codellama' | 'qwen2.5';

/**
 * Preset used when none is configured.
 * @default 'starcoder'
 */
export const DEFAULT_FIM_PRESET: FimPresetName = 'starcoder';

// DeepSeek's special tokens use FULLWIDTH VERTICAL LINE (U+FF5C) instead of
// ASCII '|' and LOWER ONE EIGHTH BLOCK (U+2581, SentencePiece's space marker)
// instead of ' '. Written as escapes because they are visually
// indistinguishable from '|' and '_' in most fonts.
const FW_BAR = '\uFF5C';
const SP = '\u2581';

/**
 * Built-in presets, keyed by name. Sources:
 * - `starcoder`: bigcode/starcoder tokenizer special tokens (Li et al. 2023,
 *   "StarCoder: may the source be with you!", arXiv:2305.06161).
 * - `starcoder2`: bigcode/starcoder2 tokenizer; same FIM tokens plus the
 *   repo-level `<repo_name>` / `<file_sep>` (Lozhkov et al. 2024,
 *   arXiv:2402.19173, repository-context formatting).
 * - `deepseek`: DeepSeek-Coder tokenizer and README "code insertion" example
 *   (github.com/deepseek-ai/DeepSeek-Coder; Guo et al. 2024, arXiv:2401.14196).
 * - `codellama`: Code Llama infilling tokens (Rozière et al. 2023,
 *   arXiv:2308.12950, §2.3). In the SentencePiece vocab these are the pieces
 *   `▁<PRE>` etc. (ids 32007–32010); turning our bare strings into those ids
 *   is the trainer's tokenizer's job.
 * - `qwen2.5`: Qwen2.5-Coder tokenizer (Hui et al. 2024, arXiv:2409.12186).
 */
export const FIM_PRESETS: Readonly<Record<FimPresetName, FimTokens>> = Object.freeze({
  starcoder: Object.freeze({
    prefix: '<fim_prefix>',
    suffix: '<fim_suffix>',
    middle: '<fim_middle>',
    pad: '<fim_pad>',
    eot: '<|endoftext|>',
  }),
  starcoder2: Object.freeze({
    prefix: '<fim_prefix>',
    suffix: '<fim_suffix>',
    middle: '<fim_middle>',
    pad: '<fim_pad>',
    eot: '<|endoftext|>',
    repoName: '<repo_name>',
    fileSep: '<file_sep>',
  }),
  deepseek: Object.freeze({
    prefix: `<${FW_BAR}fim${SP}begin${FW_BAR}>`,
    suffix: `<${FW_BAR}fim${SP}hole${FW_BAR}>`,
    middle: `<${FW_BAR}fim${SP}end${FW_BAR}>`,
    eot: `<${FW_BAR}end${SP}of${SP}sentence${FW_BAR}>`,
  }),
  codellama: Object.freeze({
    prefix: '<PRE>',
    suffix: '<SUF>',
    middle: '<MID>',
    eot: '<EOT>',
  }),
  'qwen2.5': Object.freeze({
    prefix: '<|fim_prefix|>',
    suffix: '<|fim_suffix|>',
    middle: '<|fim_middle|>',
    pad: '<|fim_pad|>',
    eot: '<|endoftext|>',
    repoName: '<|repo_name|>',
    fileSep: '<|file_sep|>',
  }),
});

/** All preset names, in declaration order (for CLI help and validation). */
export const FIM_PRESET_NAMES: readonly FimPresetName[] = Object.freeze(
  Object.keys(FIM_PRESETS) as FimPresetName[],
);

/** Type guard: is `name` one of the built-in preset names? */
export function isFimPresetName(name: string): name is FimPresetName {
  // hasOwn, not `in`: 'toString' and friends must not count as presets.
  return Object.hasOwn(FIM_PRESETS, name);
}

/**
 * Look up a preset by name.
 *
 * @returns A fresh (mutable) copy, so callers cannot alter the shared preset.
 * @throws Error naming the valid presets if `name` is unknown.
 */
export function getFimTokens(name: string): FimTokens {
  if (!isFimPresetName(name)) {
    throw new Error(
      `Unknown FIM preset ${JSON.stringify(name)}; valid presets: ${FIM_PRESET_NAMES.join(', ')}`,
    );
  }
  return { ...FIM_PRESETS[name] };
}
