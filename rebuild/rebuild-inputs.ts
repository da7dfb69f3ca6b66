import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { Db } from '../corpus/db.js';
import { rawInputsDigest, type RawSnapshot } from '../corpus/raw-snapshot.js';
import { findOnPath } from '../annotate/verify/sandbox.js';
import { TOOLS } from '../annotate/verify/toolchains.js';
import { STAGE_ERROR, STAGE_TIMEOUT } from '../pipeline/stage.js';
import type { StageStats } from '../pipeline/stats.js';
import { codeVersion } from './code-version.js';
import type { RebuildConfig } from './rebuild-config.js';

/**
 * The inputs of a rebuild, as one digest: the raw snapshot and repository facts
 * (corpus/raw-snapshot.ts), every stage option and pipeline setting, the code
 * that computes stage results (code-version.ts), the bytes of the benchmark
 * files decontamination reads, and — when verification runs — the identity of
 * every toolchain and of bubblewrap on PATH (resolved path, size, mtime: an
 * upgraded or newly installed tool changes it, and no `--version` is spawned).
 * Two rebuilds with the same digest compute the same generation (the pipeline
 * is deterministic whatever the thread count), so the second has nothing to do
 * — unless the first had outcomes that depend on the machine's load
 * (reusableOutcomes).
 */
export function rebuildInputsDigest(db: Db, snapshot: RawSnapshot, config: RebuildConfig, stageOptions: Record<string, unknown>): string {
  const h = createHash('sha256');
  rawInputsDigest(db, snapshot, (chunk) => h.update(chunk));
  h.update(`\ncode ${codeVersion()}\n`);
  h.update(JSON.stringify({ stages: stageOptions, pipeline: config.pipeline }));
  for (const f of config.decontaminate.files) {
    // Unreadable: a digest no generation has, so the rebuild runs and reports the file itself.
    try {
      h.update(`\nbenchmark ${f} ${createHash('sha256').update(readFileSync(f)).digest('hex')}`);
    } catch (err) {
      h.update(`\nbenchmark ${f} unreadable ${(err as Error).message} ${Date.now()}`);
    }
  }
  if (config.verify.enabled) {
    for (const tool of [...Object.keys(TOOLS), 'bwrap']) h.update(`\ntool ${tool} ${binaryIdentity(tool)}`);
  }
  return h.digest('hex');
}

function binaryIdentity(cmd: string): string {
  const p = findOnPath(cmd);
  if (!p) return 'missing';
  try {
    const real = realpathSync(p);
    const st = statSync(real);
    return `${real} ${st.size} ${st.mtimeMs}`;
  } catch {
    return 'unreadable';
  }
}

/**
 * Why a committed generation's outcomes cannot be reused as they are, or null
 * when they can: a document that hit its time budget or a stage error, a
 * verification whose answer depended on load (a timeout: never cached either),
 * a sandbox that could not start, or an internal error — each would be tried
 * again by a rebuild, so the shortcut must not freeze it.
 */
export function unreusableOutcomes(stages: Record<string, StageStats> | undefined): string | null {
  if (!stages) return 'no stage statistics recorded';
  for (const [name, s] of Object.entries(stages)) {
    for (const reason of [STAGE_TIMEOUT, STAGE_ERROR]) if ((s.droppedBy?.[reason] ?? 0) > 0) return `${name}: ${s.droppedBy[reason]} document(s) dropped with ${reason}`;
    for (const counter of ['uncacheable', 'sandbox-unavailable', 'internal-error']) {
      if ((s.counters?.[counter] ?? 0) > 0) return `${name}: ${s.counters![counter]} ${counter}`;
    }
  }
  return null;
}
