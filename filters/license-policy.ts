import type { LicenseClass } from '../pipeline/doc.js';
import type { LicenseDecision } from './license-decide.js';
import { isExpressionAllowed, parseSpdxExpression } from './license-expression.js';

/**
 * The default allowlist: the usual permissive list (ANCHORS.md, from The Stack's
 * policy) plus licenses as permissive that industrial code uses: X11, NCSA
 * (LLVM's old license), PostgreSQL, Python-2.0, MulanPSL-2.0, public domain, and
 * the permissive hardware licenses Solderpad 0.51 (PULP cores) and
 * CERN-OHL-P-2.0. Exceptions only add permissions, so they need no entry:
 * `Apache-2.0 WITH LLVM-exception` and Solderpad 2.x, which SPDX writes as
 * `Apache-2.0 WITH SHL-2.1`, are allowed through Apache-2.0 (isExpressionAllowed).
 */
export const DEFAULT_LICENSE_ALLOW: readonly string[] = [
  'MIT', 'MIT-0', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'ISC', '0BSD', 'Unlicense', 'CC0-1.0',
  'Zlib', 'BSL-1.0', 'X11', 'NCSA', 'PostgreSQL', 'MulanPSL-2.0', 'SHL-0.51', 'CERN-OHL-P-2.0',
  'Python-2.0', 'LicenseRef-Public-Domain',
];

/** Whether policy `allow` lets us train on code under `expr` (parsed by spdx-expression-parse; invalid → no). */
export function isAllowedExpression(expr: string, allow: ReadonlySet<string>): boolean {
  const node = parseSpdxExpression(expr);
  return node !== null && isExpressionAllowed(node, allow);
}

/**
 * The keep-order class of a license decision under policy `allow` (bigcode's
 * permissive > no license > non-permissive, with "permissive" meaning what the
 * configured policy allows): a conflict counts as allowed only when every
 * candidate is; evidence we cannot name may hide any license, so it ranks
 * with the non-permissive ones.
 */
export function classifyLicense(d: LicenseDecision, allow: ReadonlySet<string>): LicenseClass {
  switch (d.status) {
    case 'detected':
      return isAllowedExpression(d.spdx!, allow) ? 'permissive' : 'non-permissive';
    case 'conflict':
      return d.candidates!.every((c) => isAllowedExpression(c, allow)) ? 'permissive' : 'non-permissive';
    case 'none':
      return 'no-license';
    case 'unknown':
      return 'non-permissive';
  }
}

/** The class of a bare SPDX expression (null or empty: no license), for documents the license stage did not see. */
export function classifyExpression(spdx: string | null, allow: ReadonlySet<string> = DEFAULT_ALLOW_SET): LicenseClass {
  if (!spdx || spdx.trim() === '' || spdx === 'NONE') return 'no-license';
  return isAllowedExpression(spdx, allow) ? 'permissive' : 'non-permissive';
}

const DEFAULT_ALLOW_SET: ReadonlySet<string> = new Set(DEFAULT_LICENSE_ALLOW);
