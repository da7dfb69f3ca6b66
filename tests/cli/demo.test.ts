import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runCli } from '../helpers.js';

/** The README's first command runs `incorpus demo`; every planted case must show up. */
test('the demo runs crawl → rebuild → export and every stage does something', () => {
  const cwd = makeTempDir();
  const r = runCli(['demo', '--out', 'out'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /== crawl: 6 demo repositories/);
  assert.match(r.stdout, /demo\/stm32-blinky: \d+ files \(1 binary\)/);
  assert.match(r.stdout, /dropped validate\/binary: 1/);
  assert.match(r.stdout, /dropped validate\/too-large: 1/);
  assert.match(r.stdout, /dropped exact-dedup\/exact-duplicate: \d+/);
  assert.match(r.stdout, /dropped exact-dedup\/whitespace-duplicate: 1/);
  assert.match(r.stdout, /exported generation 1: \d+ records/);

  const db = join(cwd, '.incorpus', 'demo.db');
  const env = { INCORPUS_DB: db };
  // The conservative default policy: the unlicensed copy is dropped by the license stage.
  assert.match(runCli(['why', 'demo/asm-opt:src/crc32.c'], { env }).stdout, /DROPPED in generation 1 by license: license-none/);
  assert.match(r.stdout, /dropped license\/license-none: 1\n/);
  assert.match(runCli(['why', 'demo/rtl-alu-fork:rtl/uart_tx.v'], { env }).stdout, /whitespace-duplicate[\s\S]*demo\/rtl-alu:rtl\/uart_tx\.v/);
  assert.match(runCli(['why', 'demo/rtl-alu:rtl/rom_table.v'], { env }).stdout, /too-large/);
  const fork = JSON.parse(runCli(['why', 'demo/rtl-alu-fork:rtl/alu.v', '--json'], { env }).stdout);
  // Near-dedup (issue 6): the fork's alu.v adds 3 lines (Jaccard ≈ 0.88 ≥ 0.7), so it is a near-duplicate;
  // the fork family's canonical repository (upstream) keeps its copy.
  assert.equal(fork.verdict.reason, 'near-duplicate', 'the slightly changed file of the fork is a near-duplicate');
  assert.equal(fork.verdict.details.repo, 'demo/rtl-alu');
  assert.equal(fork.verdict.details.family, 'demo/rtl-alu');
  // The fork's README.md is the other near-duplicate: exact Jaccard 0.738 of the shingles, above the 0.7
  // threshold; the one-permutation bands (32 × 8) make it a candidate with p ≈ 0.95 and the exact check confirms it.
  assert.match(r.stdout, /dropped near-dedup\/near-duplicate: 2/);
  const readme = JSON.parse(runCli(['why', 'demo/rtl-alu-fork:README.md', '--json'], { env }).stdout);
  assert.equal(readme.verdict.reason, 'near-duplicate');

  const stats = JSON.parse(runCli(['stats', '--json'], { env }).stdout);
  for (const domain of ['chip-design', 'gpu-kernel', 'embedded', 'compiler-opt', 'cad-3d']) {
    assert.ok(stats.generation.keptBy.domain[domain] > 0, `demo covers ${domain}`);
  }
  const lines = readFileSync(join(cwd, 'out', 'train-00000.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, stats.generation.kept);

  // Policy keeps unlicensed files: the keep rule still prefers the BSD-licensed copy, though asm-opt sorts first.
  const cfg = join(cwd, 'keep.json');
  writeFileSync(cfg, JSON.stringify({ license: { noLicense: 'keep' } }));
  assert.equal(runCli(['rebuild', '--config', cfg], { env }).status, 0);
  assert.match(runCli(['why', 'demo/asm-opt:src/crc32.c'], { env }).stdout, /exact-duplicate[\s\S]*duplicate of: demo\/stm32-blinky:Core\/Src\/crc32\.c/);

  const again = runCli(['demo', '--out', 'out'], { cwd });
  assert.equal(again.status, 0);
  assert.equal(readFileSync(join(cwd, 'out', 'train-00000.jsonl'), 'utf8').trimEnd().split('\n').length, lines.length, 'the demo is repeatable');
});
