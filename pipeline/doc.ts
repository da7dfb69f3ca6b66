/** How a crawled path was stored; anything but `ok` has no content and a reason. */
export type FileStatus = 'ok' | 'binary' | 'too-large' | 'bad-encoding' | 'symlink' | 'special' | 'unreadable';

/** Shape statistics of a text, computed once (on a worker) and read by filters. */
export interface TextFeatures {
  lines: number;
  maxLineLength: number;
  meanLineLength: number;
  /** Share of characters that are letters or digits (any script). */
  alnumFraction: number;
  /** True when the text is empty or whitespace only. */
  blank: boolean;
  /** sha256 of the whitespace-normalized text (see normalizeWhitespace). */
  normSha256: string;
}

/**
 * Where a document's license puts it in the keep order, under the configured
 * license policy (bigcode's three classes): allowed by the policy, no license
 * evidence at all, or anything else the policy lets through (unknown evidence).
 */
export type LicenseClass = 'permissive' | 'no-license' | 'non-permissive';

/** One crawled file as it flows through the rebuild stages. */
export interface Doc {
  fileId: number;
  /** Stable id of repo + path; the `id` of exported records. */
  id: string;
  source: string;
  repo: string;
  path: string;
  size: number;
  /** sha256 of the raw bytes; null when the crawler stored no content. */
  sha256: string | null;
  crawlStatus: FileStatus;
  crawlReason: string | null;
  /** Compressed content as read from the store; cleared once decoded. */
  blob: { codec: string; data: Uint8Array } | null;
  /** UTF-8 text; null for files without stored content, or while it rests in the blob store (see textSha256). */
  text: string | null;
  /**
   * sha256 of the current text (the crawled bytes until a stage refines it).
   * Set and `text` null: the text is not in memory but in the blob store under
   * this hash — stages release texts to bound memory, and a memoized stage
   * never loads them; a stage that needs one reads it back (ctx.loadText).
   */
  textSha256?: string | null;
  lang: string;
  domain: string;
  domainEvidence: string | null;
  features: TextFeatures | null;
  /** Repository facts for keep rules (null when unknown, e.g. for local crawls). */
  repoInfo: { stars: number | null; forks: number | null; forkParent: string | null; revisionTime: string | null; licenseClaim: string | null };
  /** SPDX expression decided by the license stage; null until then or when unknown. */
  license: string | null;
  /** Set by the license stage from its policy; absent before it (the keep rule then classes `license` by the default policy). */
  licenseClass?: LicenseClass;
  /** Names of the stages that changed `text` (normalization, redaction); the runner stores the new text as a blob. */
  modifiedBy: string[];
  /**
   * The text a stage started from, by stage name, kept when an earlier stage
   * had already changed it (the crawled text itself is reloaded by sha256):
   * the verify stage proves the refinement against it and ships it when the
   * refinement is not proven (annotate/verify/refinement-policy.ts). In memory only.
   */
  textBefore?: Record<string, string>;
  /** Structured, JSON-serializable facts stages attach (annotations, redactions, verification). */
  annotations: Record<string, unknown>;
}
