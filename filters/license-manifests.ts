import { findLicenseNotice } from './license-notice.js';
import { toSpdxExpression } from './license-expression.js';
import { re2 } from '../annotate/linear-regex.js';

/** A license a package manifest declares. */
export interface ManifestLicense {
  /** SPDX expression, or null when the manifest's value is not one we can name. */
  spdx: string | null;
  /** The manifest's own words (for the decision trail). */
  raw: string;
  field: string;
}

/** File names read as manifests; the value is how to find the license in them. */
const MANIFESTS: ReadonlyArray<{ test: (name: string) => boolean; read: (text: string) => Array<{ raw: string; field: string }> }> = [
  { test: (n) => n === 'package.json', read: readPackageJson },
  { test: (n) => n === 'Cargo.toml' || n === 'pyproject.toml', read: readToml },
  { test: (n) => n === 'setup.cfg', read: (t) => fieldLines(t, /^license\s*[=:]\s*(.+)$/gim, 'metadata.license').concat(classifiers(t)) },
  { test: (n) => n === 'setup.py', read: (t) => fieldLines(t, /\blicense\s*=\s*['"]([^'"]+)['"]/g, 'setup(license)').concat(classifiers(t)) },
  // FuseSoC CAPI2 cores have no license key by spec; many carry one, or an SPDX line.
  { test: (n) => n.endsWith('.core'), read: (t) => fieldLines(t, re2(/^license\s*:\s*['"]?([^'"\n]+)['"]?\s*$/gim), 'core.license') },
  // Arduino library.properties: `license=` is a common unofficial key.
  { test: (n) => n === 'library.properties', read: (t) => fieldLines(t, /^license\s*=\s*(.+)$/gim, 'license') },
];

/** True when a file name is one of the manifests read for license evidence. */
export function isManifestName(name: string): boolean {
  return MANIFESTS.some((m) => m.test(name));
}

/** The licenses a manifest declares (none when it declares none). */
export function readManifestLicenses(name: string, text: string): ManifestLicense[] {
  const reader = MANIFESTS.find((m) => m.test(name));
  if (!reader) return [];
  const found = reader.read(text).map((f) => ({ ...f, spdx: toSpdxExpression(f.raw) }));
  if (found.length === 0 && name.endsWith('.core')) {
    const notice = findLicenseNotice(text.slice(0, 4000));
    if (notice) found.push({ raw: notice.spdx, field: notice.rule, spdx: notice.spdx });
  }
  return found;
}

function readPackageJson(text: string): Array<{ raw: string; field: string }> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof pkg !== 'object' || pkg === null) return [];
  const p = pkg as { license?: unknown; licenses?: unknown };
  if (typeof p.license === 'string') return [{ raw: p.license, field: 'license' }];
  if (typeof p.license === 'object' && p.license && typeof (p.license as { type?: unknown }).type === 'string') {
    return [{ raw: (p.license as { type: string }).type, field: 'license.type' }];
  }
  // The old `licenses: [{type}]` array lists alternatives (npm read it as OR).
  if (Array.isArray(p.licenses)) {
    const types = p.licenses.map((l) => (typeof l === 'string' ? l : (l as { type?: unknown })?.type)).filter((t): t is string => typeof t === 'string');
    if (types.length > 0) return [{ raw: types.join(' OR '), field: 'licenses' }];
  }
  return [];
}

/** Cargo.toml `[package] license` and pyproject `[project] license` (string or `{ text = … }`), plus classifiers. */
function readToml(text: string): Array<{ raw: string; field: string }> {
  const out = fieldLines(text, /^license\s*=\s*["']([^"'\n]+)["']\s*$/gm, 'license');
  out.push(...fieldLines(text, re2(/^license\s*=\s*\{[^}\n]*\btext\s*=\s*["']([^"'\n]+)["']/gm), 'license.text'));
  return out.concat(classifiers(text));
}

/** Trove classifiers (`License :: OSI Approved :: MIT License`): the last segment names the license. */
function classifiers(text: string): Array<{ raw: string; field: string }> {
  return fieldLines(text, re2(/License :: (?:OSI Approved :: )?([^"'\n:]+?)\s*["',\n]/g), 'classifier').filter((f) => !/^OSI Approved$/i.test(f.raw));
}

function fieldLines(text: string, re: RegExp, field: string): Array<{ raw: string; field: string }> {
  return [...text.matchAll(re)].map((m) => ({ raw: m[1]!.trim(), field }));
}
