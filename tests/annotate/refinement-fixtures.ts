import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText } from '../../annotate/normalize.js';
import { createProcessPool } from '../../annotate/verify/process-pool.js';
import type { CheckEnv } from '../../annotate/verify/run-check.js';
import { openVerifyCache } from '../../annotate/verify/verify-cache-store.js';
import { openCorpus } from '../../corpus/db.js';
import { detectPii, DEFAULT_PII_OPTIONS } from '../../filters/pii-stage.js';
import { redactSpans } from '../../filters/pii-redact.js';
import { makeTempDir } from '../helpers.js';

/**
 * Real files nobody here wrote, from the Debian packages scripts/setup.sh
 * installs: yosys's cell libraries (adders and muxes in generate blocks,
 * processes, an e-mail in the copyright), verilator's examples (SystemVerilog
 * assertions yosys cannot read) and its bundled gtkwave C sources, newlib's
 * headers, the Arm toolchain's examples, yosys's Python.
 */
export const REAL = {
  anlogicCells: '/usr/share/yosys/anlogic/cells_sim.v',
  greenpakDigital: '/usr/share/yosys/greenpak4/cells_sim_digital.v',
  achronixCells: '/usr/share/yosys/achronix/speedster22i/cells_sim.v',
  verilatorSub: '/usr/share/verilator/examples/make_tracing_c/sub.v',
  fastlzC: '/usr/share/verilator/include/gtkwave/fastlz.c',
  fastlzH: '/usr/share/verilator/include/gtkwave/fastlz.h',
  newlibTree: '/usr/include/newlib/sys/tree.h',
  armRetarget: '/usr/share/doc/gcc-arm-none-eabi/examples/src/retarget/retarget.c',
  yosysPython: '/usr/share/yosys/ywio.py',
} as const;

export const readReal = (p: string): string => readFileSync(p, 'utf8');

/** Replaces one exact occurrence (the n-th, default first); fails the test when the text is not there. */
export function plant(text: string, from: string, to: string, nth = 1): string {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(from, at + 1);
  assert.ok(at >= 0, `planted text not found: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * A crawled file as repositories ship them: trailing blanks on code lines and a
 * run of five blank lines after the first blank line, so normalizing it moves
 * every later line up — the yosys auto names and `__LINE__` change with it.
 */
export function untidy(text: string): string {
  // Not after a directive: tree-sitter counts a #define's trailing blanks as part of its body, and the AST check (rightly) refuses to strip them.
  const lines = text.split('\n').map((l, i, all) => (i < all.length - 1 && l.trim() !== '' && !l.endsWith('\\') && !l.trimStart().startsWith('#') ? `${l}  ` : l));
  const blank = lines.findIndex((l) => l.trim() === '');
  lines.splice(blank + 1, 0, '', '', '', '');
  return lines.join('\n');
}

/** What the normalize stage makes of a text. */
export const tidy = (text: string, lang: string): string => normalizeText(text, lang).text;

/** What the pii stage makes of a text (its real detectors and placeholders). */
export async function redact(text: string, lang: string, path: string): Promise<string> {
  const spans = await detectPii(text, lang, path, DEFAULT_PII_OPTIONS);
  assert.ok(spans.length > 0, `${path}: nothing to redact`);
  return redactSpans(text, spans).text;
}

/** Runs `fn` with a real verify cache (a fresh SQLite file) and a two-process pool (the bench machine's size). */
export async function withProofEnv(fn: (env: CheckEnv) => Promise<void>): Promise<void> {
  const db = openCorpus(join(makeTempDir(), 'proof.db'));
  try {
    await fn({ pool: createProcessPool(2), cache: openVerifyCache(db), limits: {}, counters: { hits: 0, runs: 0, cpuMs: 0, wallMs: 0 } });
  } finally {
    db.close();
  }
}
