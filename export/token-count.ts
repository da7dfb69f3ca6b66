import type { TokenizerName } from './export-options.js';

/** Counts tokens of a text. */
export type TokenCounter = (text: string) => number;

/**
 * A token counter from the ranks js-tiktoken ships inside its npm package —
 * no download at run time. Sentinels such as `<|endoftext|>` in the text are
 * counted as ordinary text (disallowedSpecial = []): the trainer's own
 * tokenizer maps its FIM tokens to single ids, so counts for FIM records are a
 * few tokens high per record; a cross-tokenizer estimate is what this is.
 */
export async function loadTokenCounter(name: TokenizerName): Promise<TokenCounter | null> {
  if (name === 'none') return null;
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks =
    name === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default;
  const enc = new Tiktoken(ranks);
  return (text) => enc.encode(text, [], []).length;
}
