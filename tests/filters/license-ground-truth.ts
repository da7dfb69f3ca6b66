import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchLicenseText } from '../../filters/license-match.js';
import { findLicenseNotice } from '../../filters/license-notice.js';

/** One labelled license text from Debian: what the maintainers say it is, and the text. */
export interface LicenseCase {
  origin: string;
  expected: string;
  text: string;
}

/** Debian's short names (DEP-5 §"License short name") → SPDX; names we cannot map exactly are left out. */
const DEBIAN_TO_SPDX: Record<string, string> = {
  'Apache-2.0': 'Apache-2.0', Expat: 'MIT', MIT: 'MIT', 'BSD-2-clause': 'BSD-2-Clause', 'BSD-3-clause': 'BSD-3-Clause',
  'BSD-2-Clause': 'BSD-2-Clause', 'BSD-3-Clause': 'BSD-3-Clause', ISC: 'ISC', Zlib: 'Zlib', 'CC0-1.0': 'CC0-1.0', 'BSL-1.0': 'BSL-1.0',
  'MPL-1.1': 'MPL-1.1', 'MPL-2.0': 'MPL-2.0', 'GPL-1': 'GPL-1.0-only', 'GPL-1+': 'GPL-1.0-or-later', 'GPL-2': 'GPL-2.0-only',
  'GPL-2+': 'GPL-2.0-or-later', 'GPL-2.0+': 'GPL-2.0-or-later', 'GPL-3': 'GPL-3.0-only', 'GPL-3+': 'GPL-3.0-or-later', 'GPLv3+': 'GPL-3.0-or-later',
  'LGPL-2': 'LGPL-2.0-only', 'LGPL-2+': 'LGPL-2.0-or-later', 'LGPL-2.1': 'LGPL-2.1-only', 'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3': 'LGPL-3.0-only', 'LGPL-3+': 'LGPL-3.0-or-later', 'AGPL-3+': 'AGPL-3.0-or-later', 'Unlicense': 'Unlicense', X11: 'X11',
};

/** /usr/share/common-licenses: the file name is the label. */
export function commonLicenseCases(dir = '/usr/share/common-licenses'): LicenseCase[] {
  const label: Record<string, string> = {
    'Apache-2.0': 'Apache-2.0', BSD: 'BSD-3-Clause', 'CC0-1.0': 'CC0-1.0', 'GPL-1': 'GPL-1.0', 'GPL-2': 'GPL-2.0', 'GPL-3': 'GPL-3.0',
    'LGPL-2': 'LGPL-2.0', 'LGPL-2.1': 'LGPL-2.1', 'LGPL-3': 'LGPL-3.0', 'MPL-1.1': 'MPL-1.1', 'MPL-2.0': 'MPL-2.0',
  };
  return Object.entries(label)
    .filter(([f]) => existsSync(join(dir, f)))
    .map(([f, expected]) => ({ origin: join(dir, f), expected, text: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Machine-readable /usr/share/doc/<pkg>/copyright files (DEP-5): every
 * `License:` paragraph whose short name maps to SPDX and which carries the text
 * (full license or its notice) is a case. Identical (name, text) pairs count once.
 */
export function dep5Cases(docDir = '/usr/share/doc'): LicenseCase[] {
  const out: LicenseCase[] = [];
  const seen = new Set<string>();
  for (const pkg of readdirSync(docDir).sort()) {
    const path = join(docDir, pkg, 'copyright');
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (!/^Format:\s*\S*copyright-format/m.test(text)) continue;
    for (const para of text.split(/\n[ \t]*\n/)) {
      const m = /^License:[ \t]*([^\n]*)\n((?:[ \t][^\n]*\n?)+)/m.exec(para);
      if (!m) continue;
      const expected = DEBIAN_TO_SPDX[m[1]!.trim()];
      const body = m[2]!.split('\n').map((l) => l.replace(/^[ \t]/, '').replace(/^\.$/, '')).join('\n');
      if (!expected || body.trim().length < 100) continue;
      const key = createHash('sha256').update(`${expected}\0${body}`).digest('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ origin: `${path}:${m[1]!.trim()}`, expected, text: body });
    }
  }
  return out;
}

/** Text match first, then a notice, as the license stage reads a LICENSE file. */
export function detectLicense(text: string, threshold = 0.9): string | null {
  return matchLicenseText(text, threshold).spdx ?? findLicenseNotice(text.slice(0, 8000))?.spdx ?? null;
}

/** Exact: same SPDX id; family: same license text, -only/-or-later aside (a full text cannot tell them apart). */
export function scoreLicenseCases(cases: LicenseCase[], threshold = 0.9) {
  const base = (id: string): string => id.replace(/-only$|-or-later$/, '');
  const r = { cases: cases.length, exact: 0, family: 0, wrong: 0, unknown: 0, errors: [] as Array<{ origin: string; expected: string; got: string | null }> };
  for (const c of cases) {
    const got = detectLicense(c.text, threshold);
    if (got === null) r.unknown++;
    else if (got === c.expected) r.exact++;
    else if (base(got) === base(c.expected)) r.family++;
    else r.wrong++;
    if (got === null || base(got) !== base(c.expected)) r.errors.push({ origin: c.origin, expected: c.expected, got });
  }
  return r;
}
