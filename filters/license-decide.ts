import { formatSpdx, licenseIds, parseSpdxExpression } from './license-expression.js';
import type { LicenseEvidence } from './license-evidence.js';

/** What the evidence for one scope (a repository directory, or a file) adds up to. */
export interface LicenseDecision {
  /** detected: one answer; conflict: sources disagree; unknown: evidence we cannot name; none: no evidence. */
  status: 'detected' | 'conflict' | 'unknown' | 'none';
  /** The decided SPDX expression (detected), or null. */
  spdx: string | null;
  /** For a conflict: each source's expression. */
  candidates?: string[];
  evidence: LicenseEvidence[];
}

/** `GPL-2.0-only`, `GPL-2.0-or-later` and `GPL-2.0+` name one license text; compare on that. */
const baseId = (id: string): string => id.replace(/\+$|-only$|-or-later$/, '');

function baseIds(expr: string): Set<string> {
  const node = parseSpdxExpression(expr);
  return new Set(node ? licenseIds(node).map(baseId) : [expr]);
}

const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((x) => b.has(x));

/** Joins several expressions with AND (every term applies), deduplicated. */
function allOf(exprs: string[]): string {
  const unique = [...new Set(exprs)];
  if (unique.length === 1) return unique[0]!;
  const node = parseSpdxExpression(unique.map((e) => (/\s/.test(e) ? `(${e})` : e)).join(' AND '));
  return node ? formatSpdx(node) : unique.join(' AND ');
}

/**
 * Decides a scope's license from its evidence, strongest source first: license
 * files, then manifests, then the API's claim. Sources that name the same
 * licenses agree (the more precise expression wins: `MIT OR Apache-2.0` from
 * Cargo.toml over two bare license files; `-or-later` from a manifest over a
 * bare GPL text); sources that name different licenses are a conflict, recorded
 * with every candidate and decided by policy, never guessed away.
 */
export function decideLicense(evidence: LicenseEvidence[]): LicenseDecision {
  if (evidence.length === 0) return { status: 'none', spdx: null, evidence };
  const groups: string[] = [];
  for (const source of ['license-file', 'manifest', 'api-claim'] as const) {
    const named = evidence.filter((e) => e.source === source && e.spdx).map((e) => e.spdx!);
    if (named.length > 0) groups.push(allOf(named));
  }
  if (groups.length === 0) return { status: 'unknown', spdx: null, evidence };
  let decided = groups[0]!;
  for (const other of groups.slice(1)) {
    const a = baseIds(decided);
    const b = baseIds(other);
    if (subset(a, b)) {
      // The weaker source names at least as much; keep its wording when it is more precise.
      if (subset(b, a) || /\bOR\b/.test(other)) decided = preferPrecise(decided, other);
    } else if (!subset(b, a)) {
      return { status: 'conflict', spdx: null, candidates: [...new Set(groups)], evidence };
    }
  }
  return { status: 'detected', spdx: decided, evidence };
}

/** Of two agreeing expressions, the one that says more (an explicit -only/-or-later, or an OR). */
function preferPrecise(a: string, b: string): string {
  if (/\bOR\b/.test(b) && !/\bOR\b/.test(a)) return b;
  return /-or-later|\+/.test(b) && !/-or-later|\+/.test(a) ? b : a;
}
