/**
 * Which member of a duplicate cluster survives: bigcode's v2 near-dedup rule —
 * permissive license > no license > non-permissive, then most stars, most
 * forks, newest revision — with two additions: the canonical repository of a
 * fork family beats the other members (so a family's shared files come from one
 * repository, the one exact dedup also kept from), and repository name + path
 * break remaining ties, so the choice never depends on input order.
 */

/** The usual permissive allowlist (ANCHORS.md, from The Stack's license policy). */
const PERMISSIVE = new Set([
  'MIT', 'MIT-0', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'ISC', '0BSD', 'Unlicense',
  'CC0-1.0', 'Zlib', 'BSL-1.0', 'X11', 'PostgreSQL', 'NCSA', 'Python-2.0', 'Artistic-2.0', 'WTFPL', 'CC-BY-4.0', 'UPL-1.0',
]);

/** 0 permissive, 1 unknown/none, 2 anything else (copyleft, proprietary, NOASSERTION). */
export type LicenseCategory = 0 | 1 | 2;

/**
 * Categorizes an SPDX expression: with OR, one permissive choice is enough;
 * otherwise (AND, WITH, a single id) every identifier must be permissive.
 */
export function licenseCategory(spdx: string | null): LicenseCategory {
  if (!spdx || spdx.trim() === '' || spdx === 'NONE') return 1;
  const ids = spdx.replace(/[()]/g, ' ').split(/\s+/).filter((t) => t && !['AND', 'OR', 'WITH'].includes(t));
  const ok = (id: string): boolean => PERMISSIVE.has(id.replace(/\+$/, ''));
  if (/\bOR\b/.test(spdx)) return ids.some(ok) ? 0 : 2;
  return ids.length > 0 && ids.every(ok) ? 0 : 2;
}

/** What the keep rule compares; one small record per clustered document. */
export interface KeepRank {
  license: LicenseCategory;
  /** 1 when the document's repository is the canonical one of its fork family (or has no family). */
  canonical: 0 | 1;
  stars: number;
  forks: number;
  /** ISO 8601 revision time, '' when unknown. */
  revisionTime: string;
  repo: string;
  path: string;
}

/** Negative when `a` should be kept over `b`. A total order: equal only for the same repo and path. */
export function compareKeep(a: KeepRank, b: KeepRank): number {
  return (
    a.license - b.license ||
    b.canonical - a.canonical ||
    b.stars - a.stars ||
    b.forks - a.forks ||
    cmp(b.revisionTime, a.revisionTime) ||
    cmp(a.repo, b.repo) ||
    cmp(a.path, b.path)
  );
}

// Plain code-unit order (not localeCompare): identical on every machine.
const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
