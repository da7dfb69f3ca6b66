import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Real files the filter tests read. A missing one fails the test with the
 * Debian package that provides it (scripts/setup.sh installs them); never a skip.
 */
export function requireReal(path: string, pkg: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${pkg} (scripts/setup.sh does)`);
  return path;
}

/** A real license text from Debian's /usr/share/common-licenses (package base-files). */
export function debianLicense(name: string): string {
  return readFileSync(requireReal(`/usr/share/common-licenses/${name}`, 'base-files'), 'utf8');
}

/** The SPDX reference text of a license, from the spdx-license-list package (not copied into the repo), with a filled-in copyright line. */
export function spdxText(id: string): string {
  const list = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
  const entry = list[id];
  if (!entry) throw new Error(`spdx-license-list has no ${id}`);
  return entry.licenseText.replace(/<year>/g, '2024').replace(/<copyright holders>|<owner>|<name of author>/gi, 'Acme Silicon Ltd');
}
