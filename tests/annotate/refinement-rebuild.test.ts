import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runCli, writeTree } from '../helpers.js';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { plant, readReal, REAL, untidy } from './refinement-fixtures.js';

interface Step { stage: string; status: string; action: string; detail: string }
interface Why { verdict: { details: { modifiedBy?: string[]; normalize?: { reverted?: string }; verification?: { status: string; refinement?: { status: string; shipped: string; steps: Step[] } } } } }

const LZ4_AUTHOR = 'const char *lz4_author = "Yann Collet <yann.collet@lz4-project.org>";\n';

/** Real files as a repository would hold them (untidy), with the plants each policy case needs. */
function writeRepo(root: string): string {
  const fastlz = untidy(readReal(REAL.fastlzC));
  return writeTree(root, {
    // E-mail in the copyright + layout: both refinements proven, the refined text ships.
    'rtl/cells_sim.v': untidy(readReal(REAL.achronixCells)),
    // Adders in generate blocks: the file the old proof called a mismatch once normalization moved its lines.
    'rtl/anlogic_cells.v': untidy(readReal(REAL.anlogicCells)),
    // E-mail in the copyright + an assert after a blank run: the layout fix moves __LINE__, so it is reverted and the redacted text ships.
    'sw/fastlz.c': plant(plant(fastlz, '#include "fastlz.h"', '#include "fastlz.h"\n#include <assert.h>'), '  if(length < 65536)', '\n\n\n\n\n  assert(length > 0);\n  if(length < 65536)'),
    'sw/fastlz.h': readReal(REAL.fastlzH),
    // An e-mail inside a string literal: the redaction changes the program and stays.
    'sw/lz4.c': plant(untidy(readReal('/usr/share/verilator/include/gtkwave/lz4.c')), 'int LZ4_versionNumber (void)', `${LZ4_AUTHOR}int LZ4_versionNumber (void)`),
    'sw/lz4.h': readReal('/usr/share/verilator/include/gtkwave/lz4.h'),
  });
}

test('rebuild proves every refinement, reverts the unproven layout fix, never a redaction; why, stats and export agree', () => {
  for (const t of ['iverilog', 'yosys', 'verilator', 'gcc'] as const) requireTool(t);
  requireBwrap();
  const repo = writeRepo(makeTempDir());
  const db = join(makeTempDir(), 'c.db');
  assert.equal(runCli(['--db', db, 'crawl', 'dir', repo, '--repo', 'acme/refine']).status, 0);
  // Real files from Debian packages, mostly without a license file in the tree: keep them (the default policy drops them).
  const config = join(makeTempDir(), 'keep-unlicensed.json');
  writeFileSync(config, JSON.stringify({ license: { noLicense: 'keep', unknown: 'keep' } }));
  const r = runCli(['--db', db, 'rebuild', '--config', config, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const counters = (JSON.parse(r.stdout) as { stages: { verify: { counters: Record<string, number> } } }).stages.verify.counters;
  const why = (path: string): Why['verdict']['details'] => (JSON.parse(runCli(['--db', db, 'why', `acme/refine:${path}`, '--json']).stdout) as Why).verdict.details;

  for (const path of ['rtl/cells_sim.v', 'rtl/anlogic_cells.v']) {
    const d = why(path);
    assert.equal(d.verification!.status, 'compiles', path);
    assert.equal(d.verification!.refinement!.status, 'identical', `${path}: ${JSON.stringify(d.verification!.refinement)}`);
    assert.equal(d.verification!.refinement!.shipped, 'refined');
  }
  assert.deepEqual(why('rtl/cells_sim.v').modifiedBy, ['pii', 'normalize']);

  const fastlz = why('sw/fastlz.c');
  assert.deepEqual(fastlz.verification!.refinement!.steps.map((s) => [s.stage, s.status, s.action]), [['pii', 'identical', 'kept'], ['normalize', 'mismatch', 'reverted']]);
  assert.equal(fastlz.verification!.refinement!.shipped, 'redacted');
  assert.deepEqual(fastlz.modifiedBy, ['pii']);
  assert.match(fastlz.normalize!.reverted!, /^mismatch: assembly differs from line \d+, in section \.text/);

  const lz4 = why('sw/lz4.c').verification!.refinement!;
  assert.deepEqual(lz4.steps.map((s) => [s.stage, s.status, s.action]), [['pii', 'mismatch', 'kept'], ['normalize', 'identical', 'kept']]);
  assert.equal(counters['refinement:redaction-changes-code'], 1, JSON.stringify(counters));
  assert.equal(counters['refinement:reverted'], 1);

  // The headers' redactions are proven on their macro tables.
  assert.equal(why('sw/fastlz.h').verification!.refinement!.status, 'identical');
  // why and stats say it in words.
  const text = runCli(['--db', db, 'why', 'acme/refine:sw/fastlz.c']).stdout;
  assert.match(text, /normalize: .*; reverted \(mismatch: assembly differs/);
  assert.match(text, /refinement proof \(gcc, assembly\): mismatch; the redacted text ships \(layout fixes reverted\)/);
  assert.match(runCli(['--db', db, 'why', 'acme/refine:sw/lz4.c']).stdout, /pii: mismatch \(assembly differs .*\); redaction changes the compiled program; kept \(never undone\)/);
  const stats = runCli(['--db', db, 'stats']).stdout;
  assert.match(stats, /refinement proofs \(a layout fix not proven identical is reverted; a redaction is never undone\):/);
  assert.match(stats, /c: 4 checked, 2 identical, 2 mismatch, 0 not checkable; 1 reverted; 1 redactions change the compiled program \(shipped redacted\)/);
  assert.match(stats, /verilog: 2 checked, 2 identical, 0 mismatch, 0 not checkable/);

  // The export ships exactly those texts: redacted everywhere, tidy only where proven.
  const out = join(makeTempDir(), 'out');
  assert.equal(runCli(['--db', db, 'export', '--out', out, '--fim-rate', '0']).status, 0);
  const records = readdirSync(out).filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(join(out, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; meta: { path: string } }));
  const exported = (p: string): string => records.find((x) => x.meta.path === p)!.text;
  assert.doesNotMatch(exported('rtl/cells_sim.v'), /claire@yosyshq\.com| \n/);
  assert.match(exported('rtl/cells_sim.v'), /<EMAIL>/);
  assert.doesNotMatch(exported('sw/fastlz.c'), /ariya@kde\.org/);
  assert.match(exported('sw/fastlz.c'), / {2}\n\n\n\n\n/, 'layout fix reverted: the crawled blank run is still there');
  assert.match(exported('sw/lz4.c'), /const char \*lz4_author = "Yann Collet <<EMAIL>>";/);

  // An unchanged second rebuild, forced to build a generation, decides the same from the cache.
  const again = runCli(['--db', db, 'rebuild', '--config', config, '--json', '--force']);
  assert.equal((JSON.parse(again.stdout) as { stages: { verify: { counters: Record<string, number> } } }).stages.verify.counters['tool-runs'], 0);
  assert.equal(why('sw/fastlz.c').verification!.refinement!.shipped, 'redacted');
});
