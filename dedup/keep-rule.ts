import type { SourceOrderKey } from '../corpus/rebuild-source.js';
import type { Doc, LicenseClass } from '../pipeline/doc.js';
import { classifyExpression } from '../filters/license-policy.js';

/**
 * Which copy of a duplicate survives — one definition for exact dedup,
 * near-dedup and fork families. bigcode's rule (The Stack v2 near-dedup):
 * permissive license > no license > non-permissive, where "permissive" is what
 * the configured license policy allows (the license stage classes each document,
 * `doc.licenseClass`); then most stars, most forks, originals before forks,
 * newest revision. Two additions: the canonical repository of a fork family
 * beats the other members (near-dedup only; so a family's shared files come
 * from one repository), and repository name + path break remaining ties, so the
 * choice never depends on input order.
 */
export const KEEP_ORDER = ['license', 'canonical', 'stars', 'forks', 'original', 'newest', 'repo', 'path'] as const;
export type KeepKey = (typeof KEEP_ORDER)[number];

/**
 * The keys the raw store can sort by before any license is decided, in keep
 * order: rebuild streams files this way (corpus/rebuild-source.ts), so within a
 * license class the first copy exact dedup sees is the one compareKeep prefers.
 */
export const STREAM_ORDER: readonly SourceOrderKey[] = KEEP_ORDER.filter((k): k is SourceOrderKey & KeepKey => k !== 'license' && k !== 'canonical');

/** 0 permissive, 1 no license, 2 non-permissive (lower is kept first). */
export const LICENSE_RANK: Readonly<Record<LicenseClass, 0 | 1 | 2>> = { permissive: 0, 'no-license': 1, 'non-permissive': 2 };

/** What the keep rule compares; one small record per clustered document or repository. */
export interface KeepRank {
  /** LICENSE_RANK of the document's (or the repository's best) license class. */
  license: number;
  /** 1 when the document's repository is the canonical one of its fork family (or has no family). */
  canonical: 0 | 1;
  /** Unknown counts below 0 (SQL's NULLS LAST). */
  stars: number;
  forks: number;
  /** 1 for a fork (the repository names a fork parent). */
  fork: 0 | 1;
  /** ISO 8601 revision time, '' when unknown. */
  revisionTime: string;
  repo: string;
  path: string;
}

const COMPARE: Readonly<Record<KeepKey, (a: KeepRank, b: KeepRank) => number>> = {
  license: (a, b) => a.license - b.license,
  canonical: (a, b) => b.canonical - a.canonical,
  stars: (a, b) => b.stars - a.stars,
  forks: (a, b) => b.forks - a.forks,
  original: (a, b) => a.fork - b.fork,
  newest: (a, b) => cmp(b.revisionTime, a.revisionTime),
  repo: (a, b) => cmp(a.repo, b.repo),
  path: (a, b) => cmp(a.path, b.path),
};

/** Negative when `a` should be kept over `b`. A total order: equal only for the same repo and path. */
export function compareKeep(a: KeepRank, b: KeepRank): number {
  for (const key of KEEP_ORDER) {
    const c = COMPARE[key](a, b);
    if (c !== 0) return c;
  }
  return 0;
}

/** A document's keep class: the license stage's, or (a stage tested on its own) its expression under the default policy. */
export function licenseClassOf(doc: Pick<Doc, 'license' | 'licenseClass'>): LicenseClass {
  return doc.licenseClass ?? classifyExpression(doc.license);
}

/** The keep record of a document; `canonical` is 0 only for a non-canonical fork-family member. */
export function keepRankOf(doc: Doc, canonical: 0 | 1 = 1): KeepRank {
  const ri = doc.repoInfo;
  return {
    license: LICENSE_RANK[licenseClassOf(doc)],
    canonical,
    stars: ri.stars ?? -1,
    forks: ri.forks ?? -1,
    fork: ri.forkParent ? 1 : 0,
    revisionTime: ri.revisionTime ?? '',
    repo: doc.repo,
    path: doc.path,
  };
}

/**
 * Code-point order, which is SQLite's BINARY order of UTF-8 text (the order
 * rebuild streams names and paths in); plain `<` compares UTF-16 units and
 * differs above U+FFFF. Never localeCompare: identical on every machine.
 */
function cmp(x: string, y: string): number {
  if (x === y) return 0;
  if (!ASTRAL.test(x) && !ASTRAL.test(y)) return x < y ? -1 : 1;
  return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
}
const ASTRAL = /[\uD800-\uFFFF]/;
