/** Shannon entropy in bits per character (detect-secrets' measure for high-entropy strings). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Entropy bars by alphabet (detect-secrets / bigcode: base64 ≥ 4.5, hex ≥ 3.0, anything else ≥ 3.5 bits/char). */
export interface EntropyBars {
  base64: number;
  hex: number;
  generic: number;
}

/**
 * True when a candidate value looks like a secret rather than a word, path or
 * placeholder: high entropy for its alphabet, and not gibberish-free text
 * (an identifier like `my_secret_key_name` has entropy but no randomness). The
 * base64 bar is capped at 85 % of what a string of that length can reach
 * (log2 of its length): a random 32-character token averages ~4.6 bits/char and
 * one in five falls under 4.5 — the keyword context already vouches for it.
 */
export function looksRandom(value: string, bars: EntropyBars): boolean {
  if (isPlaceholder(value)) return false;
  const h = shannonEntropy(value);
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= 16 && h >= bars.hex;
  if (/^[a-z_]+$/i.test(value) || /^[a-z]+(?:[-_.][a-z]+)*$/i.test(value)) return false;
  if (!/\d/.test(value) && !(/[A-Z]/.test(value) && /[a-z]/.test(value))) return false;
  if (/^[A-Za-z0-9+/=_-]+$/.test(value)) {
    // Either entropy alone, or the generic bar plus gibberish: random text switches between
    // upper, lower and digits every ~2 chars, a camelCase identifier every ~5.
    return h >= Math.min(bars.base64, 0.85 * Math.log2(value.length)) || (h >= bars.generic && classSwitches(value) / value.length >= 0.3);
  }
  return h >= bars.generic;
}

/** How often the character class (upper, lower, digit, other) changes along a string. */
function classSwitches(s: string): number {
  const cls = (c: string): number => (c >= 'A' && c <= 'Z' ? 0 : c >= 'a' && c <= 'z' ? 1 : c >= '0' && c <= '9' ? 2 : 3);
  let n = 0;
  for (let i = 1; i < s.length; i++) if (cls(s[i]!) !== cls(s[i - 1]!)) n++;
  return n;
}

/** Values people write where a secret would go: `<your-key>`, `${TOKEN}`, `xxxx`, `changeme`, `%s`. */
export function isPlaceholder(value: string): boolean {
  return (
    /^[<{$%]|[>}]$|^\*+$|^x+$|^(.)\1{5,}$/i.test(value) ||
    // Placeholder words as words (`YOUR_API_KEY`, `my-token`, `changeme`), not as letters inside random text.
    /(?:^|[_\-.\s])(?:your|my|example|sample|dummy|placeholder|changeme|redacted|insert|replace|todo|fixme|test|secret|password|token|xxx+)(?=$|[_\-.\s]|[A-Z])/i.test(value)
  );
}

/** Hash-looking values (hex of an MD5/SHA-1/SHA-256 length) next to words saying they are hashes are not secrets. */
export function isLabelledHash(value: string, line: string): boolean {
  return /^[0-9a-f]+$/i.test(value) && [32, 40, 64, 128].includes(value.length) && /sha|md5|hash|digest|checksum|crc|commit|rev/i.test(line);
}
