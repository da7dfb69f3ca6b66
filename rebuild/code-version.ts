import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
 * About 2 MB hashed once per process.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const h = createHash('sha256');
  for (const dir of STAGE_CODE) hashTree(h, join(root, dir));
  for (const extra of ['../package-lock.json', '../build/Release/tree_sitter_verilog_napi.node']) {
    const p = join(root, extra);
    if (existsSync(p)) h.update(readFileSync(p));
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
