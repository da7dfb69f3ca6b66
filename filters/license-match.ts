import { createRequire } from 'node:module';
import { diceCoefficient, normalizeLicenseText, wordBigrams } from './license-normalize.js';

/** What a license text was recognized as, with how sure the match is. */
export interface LicenseTextMatch {
  /** SPDX id, or null when nothing reached the threshold. */
  spdx: string | null;
  method: 'exact' | 'dice' | 'none';
  /** Dice score of the best candidate (1 for exact). */
  score: number;
  /** Best candidate even when below the threshold, for the decision trail. */
  best: string | null;
  /** Other ids whose SPDX text is the same (GPL-2.0-only vs -or-later: only notices tell them apart). */
  sameText?: string[];
}

interface IndexedLicense {
  id: string;
  norm: string;
  grams: Set<string>;
}

interface LicenseIndex {
  byText: Map<string, string[]>;
  all: IndexedLicense[];
}

let index: LicenseIndex | null = null;

/**
 * Deprecated SPDX ids (`GPL-2.0`, `GPL-2.0+`, `*-with-*-exception`) duplicate the
 * texts of their successors; matching them would only add ties.
 */
const DEPRECATED = /\+$|^(?:A|L)?GPL-\d\.\d$|^GPL-\d\.\d-with-|^(?:eCos-2\.0|wxWindows|StandardML-NJ|Nunit|bzip2-1\.0\.5|GFDL-1\.[123]|LGPLLR)$/;

/** Loads and indexes the SPDX texts once per process (spdx-license-list is ~5 MB; loaded lazily). */
function loadIndex(): LicenseIndex {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const list = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
  const byText = new Map<string, string[]>();
  const all: IndexedLicense[] = [];
  for (const [id, entry] of Object.entries(list)) {
    if (DEPRECATED.test(id) || !entry.licenseText) continue;
    const norm = normalizeLicenseText(entry.licenseText);
    if (norm.length < 40) continue;
    const same = byText.get(norm);
    if (same) same.push(id);
    else byText.set(norm, [id]);
    all.push({ id, norm, grams: wordBigrams(norm) });
  }
  // Among ids sharing one text, prefer the one the text alone proves: "-only".
  for (const ids of byText.values()) ids.sort((a, b) => Number(b.endsWith('-only')) - Number(a.endsWith('-only')) || a.localeCompare(b));
  index = { byText, all };
  return index;
}

/**
 * Recognizes a full license text: exact match of the normalized text first, then
 * word-bigram Sørensen–Dice against every SPDX text (licensee's and askalono's
 * methods). Below `threshold` the answer is null, never a guess.
 */
export function matchLicenseText(text: string, threshold: number): LicenseTextMatch {
  const idx = loadIndex();
  const norm = normalizeLicenseText(text);
  const exact = idx.byText.get(norm);
  if (exact) return withSameText({ spdx: exact[0]!, method: 'exact', score: 1, best: exact[0]! }, exact);
  const grams = wordBigrams(norm);
  const scored: Array<{ lic: IndexedLicense; score: number }> = [];
  const lo = Math.min(threshold, 0.5);
  for (const lic of idx.all) {
    // Dice cannot reach the bound when sizes differ too much; skip the work.
    const ratio = grams.size / Math.max(1, lic.grams.size);
    if (ratio < lo / (2 - lo) || ratio > (2 - lo) / lo) continue;
    scored.push({ lic, score: diceCoefficient(grams, lic.grams) });
  }
  const top = pickBest(scored);
  let best = top?.lic ?? null;
  const bestScore = top?.score ?? 0;
  const score = Math.round(bestScore * 1000) / 1000;
  if (!best || bestScore < threshold) return { spdx: null, method: 'none', score, best: best?.id ?? null };
  // 0BSD is ISC without its one condition; Dice barely sees the clause, so read it.
  if (best.id === '0BSD' && ISC_CONDITION.test(norm)) best = idx.all.find((l) => l.id === 'ISC') ?? best;
  const same = idx.byText.get(best.norm) ?? [best.id];
  return withSameText({ spdx: same[0]!, method: 'dice', score, best: same[0]! }, same);
}

/**
 * SPDX lists many one-word variants of MIT/BSD/ISC (BSD-3-Clause-HP, X11,
 * MIT-Modern-Variant). Within TIE_MARGIN of the best score the common license
 * wins: reflowed copies of the common text land there far more often than the
 * variants do (measured on Debian's copyright files, notes/issue-5.md).
 */
const ISC_CONDITION = /provided that the above copyright notice and this permission notice appear in all copies/;
const TIE_MARGIN = 0.03;
const COMMON = ['MIT', 'BSD-3-Clause', 'BSD-2-Clause', 'ISC', 'Apache-2.0', 'Zlib', 'BSL-1.0', 'MPL-2.0', 'CC0-1.0', 'Unlicense'];

function pickBest(scored: Array<{ lic: IndexedLicense; score: number }>): { lic: IndexedLicense; score: number } | null {
  let best: { lic: IndexedLicense; score: number } | null = null;
  for (const s of scored) if (!best || s.score > best.score) best = s;
  if (!best) return null;
  const near = scored.filter((s) => s.score >= best.score - TIE_MARGIN && COMMON.includes(s.lic.id));
  near.sort((a, b) => COMMON.indexOf(a.lic.id) - COMMON.indexOf(b.lic.id));
  return near[0] ?? best;
}

function withSameText(m: LicenseTextMatch, ids: string[]): LicenseTextMatch {
  return ids.length > 1 ? { ...m, sameText: ids.slice(1) } : m;
}
