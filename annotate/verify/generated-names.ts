import { posix } from 'node:path';
import { re2 } from '../linear-regex.js';

/**
 * What a repository generates rather than stores: IP cores made by vendor
 * scripts (Vivado `create_ip -module_name`, `.xci`/`.xco`/`.qsys`/`.ip`
 * files, Platform Designer `create_system`), files written by build steps
 * (Makefile targets, scripts that open a `.vh`/`.v`/`.h` for writing), and
 * git submodules that were not checked out. A module or include that is
 * missing for one of these reasons is a named kind of missing-dependency,
 * not a broken design.
 */
export interface GeneratedNames {
  ipModules: Set<string>;
  files: Set<string>;
  submodules: string[];
  /** A build file runs Verilator: its `V<top>.h` model headers are generated. */
  verilator: boolean;
}

export const emptyGenerated = (): GeneratedNames => ({ ipModules: new Set(), files: new Set(), submodules: [], verilator: false });

/** Files worth reading for these facts (small scripts and IP descriptions). */
export function isGeneratorFile(path: string): boolean {
  return /\.(?:tcl|xci|xcix|xco|qsys|ip|qip|bd|py)$/i.test(path) || posix.basename(path) === '.gitmodules';
}

const IP_FILE = /\.(?:xci|xcix|qsys|ip|bd)$/i;

/** Adds what one file says; `text` is null for files only known by name. */
export function addGeneratorFacts(into: GeneratedNames, path: string, text: string | null): void {
  const base = posix.basename(path);
  if (IP_FILE.test(base)) into.ipModules.add(base.replace(/\.[^.]+$/, ''));
  if (text === null) return;
  if (base === '.gitmodules') {
    for (const m of text.matchAll(re2(/^\s*path\s*=\s*(\S+)/gm))) into.submodules.push(posix.join(posix.dirname(path), m[1]!).replace(/^\.\//, ''));
    return;
  }
  if (/\.tcl$/i.test(base)) {
    // Scripts in an ip/ directory are one IP each, named after the file.
    if (/(?:^|\/)ip\//.test(path)) into.ipModules.add(base.replace(/\.tcl$/i, ''));
    for (const re of [/-module_name\s+"?([A-Za-z_]\w*)/g, /\bget_ips\s+"?([A-Za-z_]\w*)/g, /\bcreate_system\s+"?([A-Za-z_]\w*)/g, re2(/^\s*create_\w*_ip\s+"?([A-Za-z_]\w*)/gm)]) {
      for (const m of text.matchAll(re)) into.ipModules.add(m[1]!);
    }
  }
  if (/\.xco$/i.test(base)) for (const m of text.matchAll(/CSET\s+component_name\s*=\s*(\w+)/gi)) into.ipModules.add(m[1]!);
  // A script writing a source or include file: open("config.vh", "w"), `open "x.v" w`.
  for (const m of text.matchAll(/open\s*\(\s*["']([^"'\n]+\.(?:v|vh|sv|svh|h|hex|mem))["']\s*,\s*["'][wa]/g)) into.files.add(posix.basename(m[1]!));
  for (const m of text.matchAll(/\bopen\s+"?([^\s"]+\.(?:v|vh|sv|svh|h))"?\s+w\b/g)) into.files.add(posix.basename(m[1]!));
}

/** Why a missing module is missing, when the repository says: generated IP (also its sub-modules, `ip_name_*`). */
export function generatedIpFor(module: string, g: GeneratedNames): string | null {
  if (g.ipModules.has(module)) return module;
  for (const ip of g.ipModules) if (ip.length >= 4 && module.startsWith(`${ip}_`)) return ip;
  return null;
}
