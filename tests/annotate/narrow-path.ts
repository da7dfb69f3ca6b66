import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../annotate/verify/sandbox.js';
import { makeTempDir } from '../helpers.js';

/** A PATH holding only the named programs (symlinks), so a sandbox level's program can be made unavailable. */
export function narrowPath(programs: readonly string[]): string {
  const bin = join(makeTempDir('incorpus-path-'), 'bin');
  mkdirSync(bin);
  for (const p of programs) {
    const real = findOnPath(p);
    assert.ok(real, `${p} not on PATH`);
    symlinkSync(real, join(bin, p));
  }
  return bin;
}
