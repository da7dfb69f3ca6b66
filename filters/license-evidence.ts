import { decompressBlob } from '../corpus/blobs.js';
import type { StoredBlob } from '../pipeline/doc-patch.js';
import { matchLicenseText } from './license-match.js';
import { isManifestName, readManifestLicenses } from './license-manifests.js';
import { findLicenseNotice } from './license-notice.js';

/** One piece of license evidence, as recorded in the decision trail. */
export interface LicenseEvidence {
  source: 'license-file' | 'manifest' | 'api-claim' | 'header';
  /** The file it came from (repository-relative); absent for the API claim. */
  path?: string;
  /** SPDX expression, or null when the evidence could not be named (recorded, never guessed). */
  spdx: string | null;
  /** How it was read: exact, dice, notice, spdx-id, a manifest field, claim. */
  method: string;
  score?: number;
  /** Ids with the same SPDX text (only notices tell GPL-2.0-only from -or-later). */
  sameText?: string[];
}

/**
 * License file names in licensee's ranking order (LICENSE > LICENCE > COPYING >
 * UNLICENSE, bare before extensions, `-MIT`/`.APACHE` suffixes for dual licenses).
 */
const LICENSE_FILE = /^(?:un)?(?:licen[cs]e|copying)(?:[-._][a-z0-9.-]*)?$/i;
const NOT_LICENSE = /\.(?:c|h|cc|cpp|py|v|sv|vhd|js|ts|go|rs|java|sh|json|html?|xml)$/i;

/** True when a repository path could hold license evidence (a license file or a package manifest). */
export function isLicenseSourcePath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (LICENSE_FILE.test(name) && !NOT_LICENSE.test(name)) || isManifestName(name);
}

/** Reads the evidence one candidate file gives (a license file may also just carry a notice or SPDX line). */
export function readFileEvidence(path: string, text: string, threshold: number): LicenseEvidence[] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (isManifestName(name)) {
    return readManifestLicenses(name, text).map((m) => ({ source: 'manifest', path, spdx: m.spdx, method: m.field }));
  }
  const m = matchLicenseText(text, threshold);
  if (m.spdx) {
    return [{ source: 'license-file', path, spdx: m.spdx, method: m.method, score: m.score, ...(m.sameText ? { sameText: m.sameText } : {}) }];
  }
  // A LICENSE file that is a notice ("Licensed under the Apache License, Version 2.0 …") names its license too.
  const notice = findLicenseNotice(text.slice(0, 8000));
  if (notice) return [{ source: 'license-file', path, spdx: notice.spdx, method: notice.rule }];
  return [{ source: 'license-file', path, spdx: null, method: 'unrecognized', score: m.score, ...(m.best ? { sameText: [m.best] } : {}) }];
}

/** Ranks license files like licensee: LICENSE before COPYING, shorter (bare) names first, then by name. */
export function rankLicensePaths(a: string, b: string): number {
  const rank = (p: string): number => {
    const n = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
    return (/^licen[cs]e/.test(n) ? 0 : /^copying/.test(n) ? 1 : 2) * 100 + n.length;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** One candidate file for the worker pool: its blob in, its evidence out. */
export interface EvidenceItem {
  path: string;
  blob: StoredBlob | null;
  evidence: LicenseEvidence[] | null;
}

/** Worker step: Dice matching against every SPDX text is the license stage's costly part. */
export function readEvidenceStep(item: EvidenceItem, o: { threshold: number }): void {
  const text = item.blob ? decompressBlob(item.blob.codec, item.blob.data).toString('utf8') : '';
  item.blob = null;
  item.evidence = readFileEvidence(item.path, text, o.threshold);
}
