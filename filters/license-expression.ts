import { createRequire } from 'node:module';
import type { SpdxNode } from 'spdx-expression-parse';
import { re2 } from '../annotate/linear-regex.js';

export type { SpdxNode };

let parser: ((expr: string) => SpdxNode) | null = null;

/** Parses an SPDX expression (`MIT OR Apache-2.0`, `GPL-2.0-or-later WITH Classpath-exception-2.0`); null when invalid. */
export function parseSpdxExpression(expr: string): SpdxNode | null {
  parser ??= createRequire(import.meta.url)('spdx-expression-parse') as (e: string) => SpdxNode;
  try {
    return parser(expr.trim());
  } catch {
    // LicenseRef-… and DocumentRef-… are valid SPDX; the parser accepts them, so this is a real syntax error.
    return null;
  }
}

/** Every license id an expression names (exceptions left out). */
export function licenseIds(node: SpdxNode): string[] {
  if ('license' in node) return [node.plus ? `${node.license}+` : node.license];
  return [...licenseIds(node.left), ...licenseIds(node.right)];
}

/**
 * Whether an expression's terms let us train on the code: `OR` needs one allowed
 * branch (we may choose), `AND` needs both, `WITH` an allowed license (exceptions
 * only add permissions). `-only`/`-or-later`/`+` forms match the allowlist by their base id too.
 */
export function isExpressionAllowed(node: SpdxNode, allow: ReadonlySet<string>): boolean {
  if ('license' in node) return isIdAllowed(node.license, allow);
  const l = isExpressionAllowed(node.left, allow);
  const r = isExpressionAllowed(node.right, allow);
  return node.conjunction === 'or' ? l || r : l && r;
}

function isIdAllowed(id: string, allow: ReadonlySet<string>): boolean {
  if (allow.has(id)) return true;
  const base = id.replace(/\+$|-only$|-or-later$/, '');
  return allow.has(base) || allow.has(`${base}-only`) || allow.has(`${base}-or-later`);
}

/** Renders a parsed expression back to canonical SPDX text. */
export function formatSpdx(node: SpdxNode, top = true): string {
  if ('license' in node) return `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;
  const s = `${formatSpdx(node.left, false)} ${node.conjunction.toUpperCase()} ${formatSpdx(node.right, false)}`;
  return top ? s : `(${s})`;
}

/**
 * Canonical SPDX ids for the names manifests and APIs use instead of ids
 * (npm's, PyPI classifiers', GitHub's and Debian's common spellings).
 */
const ALIASES: Record<string, string> = {
  mit: 'MIT', expat: 'MIT', 'mit license': 'MIT', 'apache 2': 'Apache-2.0', 'apache 2.0': 'Apache-2.0', 'apache-2': 'Apache-2.0',
  'apache software license': 'Apache-2.0', 'apache license 2.0': 'Apache-2.0', 'apache license, version 2.0': 'Apache-2.0',
  'new bsd': 'BSD-3-Clause', 'bsd-3': 'BSD-3-Clause', 'bsd-3-clause': 'BSD-3-Clause',
  'simplified bsd': 'BSD-2-Clause', 'bsd-2': 'BSD-2-Clause', 'bsd-2-clause': 'BSD-2-Clause', isc: 'ISC', zlib: 'Zlib',
  'gpl': 'GPL-2.0-or-later', 'gplv2': 'GPL-2.0-only', 'gpl-2': 'GPL-2.0-only', 'gpl-2+': 'GPL-2.0-or-later', 'gplv2+': 'GPL-2.0-or-later',
  'gplv3': 'GPL-3.0-only', 'gpl-3': 'GPL-3.0-only', 'gpl-3+': 'GPL-3.0-or-later', 'gplv3+': 'GPL-3.0-or-later',
  'lgpl-2.1': 'LGPL-2.1-only', 'lgpl-2.1+': 'LGPL-2.1-or-later', 'lgpl-2+': 'LGPL-2.0-or-later', 'lgpl-3': 'LGPL-3.0-only', 'lgpl-3+': 'LGPL-3.0-or-later',
  'lgplv3': 'LGPL-3.0-only', 'lgplv2.1': 'LGPL-2.1-only', 'mpl-2.0': 'MPL-2.0', 'mpl 2.0': 'MPL-2.0', 'public domain': 'LicenseRef-Public-Domain',
  // Trove classifier names (PyPI `License :: OSI Approved :: …`).
  'gnu general public license v2 (gplv2)': 'GPL-2.0-only', 'gnu general public license v2 or later (gplv2+)': 'GPL-2.0-or-later',
  'gnu general public license v3 (gplv3)': 'GPL-3.0-only', 'gnu general public license v3 or later (gplv3+)': 'GPL-3.0-or-later',
  'gnu lesser general public license v3 (lgplv3)': 'LGPL-3.0-only', 'gnu lesser general public license v2 or later (lgplv2+)': 'LGPL-2.0-or-later',
  'mozilla public license 2.0 (mpl 2.0)': 'MPL-2.0', 'isc license (iscl)': 'ISC', 'the unlicense (unlicense)': 'Unlicense',
  'boost software license 1.0 (bsl-1.0)': 'BSL-1.0', 'zlib/libpng license': 'Zlib', 'apache license 2.0 (apache-2.0)': 'Apache-2.0',
  unlicense: 'Unlicense', 'the unlicense': 'Unlicense', cc0: 'CC0-1.0', 'cc0-1.0': 'CC0-1.0', 'boost': 'BSL-1.0', 'bsl-1.0': 'BSL-1.0',
};

/**
 * Turns a license string from a manifest or API into an SPDX expression: a valid
 * expression as is (deprecated `GPL-2.0` style upgraded), else a known alias;
 * null for anything else ("NOASSERTION", "other", "see LICENSE"), never a guess.
 */
export function toSpdxExpression(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.trim();
  if (!s || /^(?:NOASSERTION|NONE|other|UNLICENSED|see license.*|proprietary)$/i.test(s)) {
    return /^(?:UNLICENSED|proprietary)$/i.test(s) ? 'LicenseRef-Proprietary' : null;
  }
  const key = s.toLowerCase();
  const alias = ALIASES[key] ?? ALIASES[key.replace(re2(/\s+licen[cs]e$/), '')];
  if (alias) return alias;
  const node = parseSpdxExpression(s) ?? parseSpdxExpression(s.replace(re2(/\s*\/\s*/g), ' OR ').replace(re2(/\s+or\s+/gi), ' OR ').replace(re2(/\s+and\s+/gi), ' AND '));
  return node ? formatSpdx(upgradeDeprecated(node)) : null;
}

/** `GPL-2.0` → `GPL-2.0-only`, `GPL-2.0+` → `GPL-2.0-or-later` (SPDX 3.0 deprecations). */
function upgradeDeprecated(node: SpdxNode): SpdxNode {
  if (!('license' in node)) return { left: upgradeDeprecated(node.left), conjunction: node.conjunction, right: upgradeDeprecated(node.right) };
  if (/^(?:A|L)?GPL-\d\.\d$/.test(node.license)) {
    const { plus, ...rest } = node;
    return { ...rest, license: `${node.license}-${plus ? 'or-later' : 'only'}` };
  }
  return node;
}
