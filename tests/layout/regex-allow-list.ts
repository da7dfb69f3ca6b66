/**
 * Reviewed exceptions to the linear-time regex check (regex-safety.test.ts): only
 * patterns that never see crawled text — command-line values, tool versions, our
 * own generated strings — each with the reason it is safe. An entry that no
 * longer matches a pattern in the source fails the check, so the list cannot rot.
 */
export interface AllowedPattern {
  file: string;
  /** The pattern's source exactly as the scanner reports it (for a dynamic RegExp: the call's text). */
  source: string;
  reason: string;
}

export const ALLOWED_PATTERNS: readonly AllowedPattern[] = [];
