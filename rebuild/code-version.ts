import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders whose code decides stage results (tests, benchmarks, CLI and export do not). */
const STAGE_CODE = ['pipeline', 'corpus', 'annotate', 'filters', 'dedup', 'rebuild'];

let cached: string | null = null;

/**
 * Fingerprint of the code that computes stage results: every compiled module
 * of the stage folders, the native grammar addon and the lock file (rule sets
 * such as secretlint's or the SPDX texts come from dependencies). Part of
 * every memo key, so a changed incorpus never reuses an old result: cheaper
 * to get right than per-stage revision numbers a developer must remember.
 * About 1 MB hashed once per process.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const h = createHash('sha256');
  for (const dir of STAGE_CODE) hashTree(h, join(root, dir));
  const lock = join(root, '../package-lock.json');
  if (existsSync(lock)) h.update(readFileSync(lock));
  // The 18 MB grammar addon by identity (size, mtime: node-gyp rewrites it on every build), not
  // content: hashing it was 100 ms of every rebuild, most of an unchanged one's.
  const addon = join(root, '../build/Release/tree_sitter_verilog_napi.node');
  if (existsSync(addon)) {
    const st = statSync(addon);
    h.update(`addon ${st.size} ${st.mtimeMs}`);
  }
  return (cached = h.digest('hex').slice(0, 16));
}

function hashTree(h: ReturnType<typeof createHash>, dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) hashTree(h, p);
    else if (e.name.endsWith('.js')) h.update(e.name).update(readFileSync(p));
  }
}
