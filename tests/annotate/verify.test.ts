import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findToolchain } from '../../annotate/verify/toolchains.js';
import { createProcessPool } from '../../annotate/verify/process-pool.js';
import { proveRefinement } from '../../annotate/verify/refinement-proof.js';
import { openCorpus } from '../../corpus/db.js';
import { openVerifyCache } from '../../annotate/verify/verify-cache-store.js';
import { makeTempDir, runCli } from '../helpers.js';
import { EXPECTED_STATUS, NEEDS_CONTEXT, writeVerifyFixture } from './verify-fixtures.js';
import { requireBwrap, requireTool } from './toolchain-required.js';

interface Verification {
  status: string;
  tool: string | null;
  context: string;
  log: string;
  standalone: { status: string };
  repository?: { status: string; files: number };
  synth?: { status: string; cells?: number };
  refinement?: { status: string };
}

const why = (db: string, key: string) => {
  const r = runCli(['--db', db, 'why', key, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { verdict: { details: Record<string, unknown> & { verification?: Verification } } };
};
const rebuildJson = (db: string, env?: Record<string, string>, extra: string[] = []) => {
  const r = runCli(['--db', db, 'rebuild', '--json', ...extra], env ? { env } : {});
  assert.equal(r.status, 0, r.stderr);
  return { summary: JSON.parse(r.stdout) as { stages: Record<string, { counters?: Record<string, number> }> }, stderr: r.stderr };
};

test('rebuild verifies every file with its toolchain, standalone and in repository context; a second rebuild runs no tool', async () => {
  for (const t of ['iverilog', 'verilator', 'yosys', 'gcc', 'arm-none-eabi-gcc', 'python3'] as const) requireTool(t);
  await requireBwrap();
  const marker = join(makeTempDir(), 'pwned');
  const repo = writeVerifyFixture(makeTempDir(), marker);
  const db = join(makeTempDir(), 'c.db');
  assert.equal(runCli(['--db', db, 'crawl', 'dir', repo, '--repo', 'acme/hw']).status, 0);

  const first = rebuildJson(db).summary.stages.verify!.counters!;
  assert.ok(first['tool-runs']! > 10, JSON.stringify(first));
  assert.equal(first['doc-cache-hits'], 0);
  assert.equal(first['sandbox:bwrap'], 1);

  const details: Record<string, string> = {};
  for (const [path, expected] of Object.entries(EXPECTED_STATUS)) {
    const v = why(db, `acme/hw:${path}`).verdict.details.verification!;
    details[path] = JSON.stringify(v);
    assert.equal(v.status, expected, `${path}: ${details[path]}`);
    assert.ok(v.tool, path);
  }
  for (const path of NEEDS_CONTEXT) {
    const v = why(db, `acme/hw:${path}`).verdict.details.verification!;
    assert.equal(v.context, 'repository', path);
    assert.notEqual(v.standalone.status, 'compiles', `${path} needs its repository`);
    // Vendor models and stubs are not repository files.
    if (!['rtl/vendor.v', 'rtl/ghost.v'].includes(path)) assert.ok(v.repository!.files >= 1, path);
  }
  const ghost = why(db, 'acme/hw:rtl/ghost.v').verdict.details.verification! as Verification & { blackboxes: Array<{ module: string; why: string }> };
  assert.equal(ghost.standalone.status, 'missing-dependency');
  assert.deepEqual(ghost.blackboxes, [{ module: 'ghost_mod', why: 'absent-module' }]);
  const vendor = why(db, 'acme/hw:rtl/vendor.v').verdict.details.verification! as Verification & { vendorModels: string[] };
  assert.deepEqual([vendor.standalone.status, vendor.vendorModels], ['vendor-ip', ['xilinx']]);
  const leaky = why(db, 'acme/hw:rtl/uses_leaky.v').verdict.details.verification! as Verification & { blackboxes: Array<{ module: string; why: string }> };
  assert.deepEqual(leaky.blackboxes, [{ module: 'leaky_mod', why: 'unsafe-file' }]);
  assert.match(why(db, 'acme/hw:rtl/broken.v').verdict.details.verification!.log, /rtl\/broken\.v:\d+: syntax error/);

  // Refined text is what gets verified and exported; yosys synthesizes what compiles.
  const top = why(db, 'acme/hw:rtl/top.v').verdict.details;
  assert.deepEqual(top.modifiedBy, ['normalize']);
  assert.equal(top.verification!.synth!.status, 'compiles');
  // Proof that the refinement changed nothing: yosys designs and gcc .text sections compare equal.
  assert.equal(top.verification!.refinement!.status, 'identical');
  assert.equal(why(db, 'acme/hw:sw/main.c').verdict.details.verification!.refinement!.status, 'identical');
  assert.ok(top.verification!.synth!.cells! > 0);
  assert.equal((top.structure as { modules: Array<{ instances: Array<{ module: string }> }> }).modules[0]!.instances[0]!.module, 'alu_core');

  // Hostile files: nothing of the host reaches the corpus, nothing crawled ran.
  const passwdHead = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
  for (const path of Object.keys(EXPECTED_STATUS)) assert.ok(!details[path]!.includes(passwdHead) && !/root:x?:0:0/.test(details[path]!), path);
  assert.equal(existsSync(marker), false, 'python was compiled, never executed');

  // CUDA: compiles with nvcc when present; otherwise this checks the toolchain-missing path.
  const cu = why(db, 'acme/hw:cuda/k.cu').verdict.details.verification!;
  assert.equal(cu.status, findToolchain('nvcc') ? 'compiles' : 'toolchain-missing');

  // Stats: pass rates per language, standalone vs repository context.
  const stats = JSON.parse(runCli(['--db', db, 'stats', '--json']).stdout).generation.verification;
  assert.equal(stats.byLang.verilog.viaRepository, 4, JSON.stringify(stats.byLang.verilog));
  assert.equal(stats.byLang.verilog.viaVendorModels, 1);
  assert.ok(stats.byLang.c.compiles > stats.byLang.c.standalone);
  assert.match(runCli(['--db', db, 'stats']).stdout, /verification by language[\s\S]*verilog: \d+ checked, standalone [\d.]+%, repository context [\d.]+%, compiles [\d.]+% \(\+[\d.]+% with black boxes\)/);

  // Unchanged second rebuild: every file answered from the cache, no compiler started, no context resolved.
  // --force: nothing changed, so without it the rebuild would find the generation up to date and run no stage at all.
  const second = rebuildJson(db, undefined, ['--force']).summary.stages.verify!.counters!;
  assert.equal(second['tool-runs'], 0, JSON.stringify(second));
  assert.equal(second['cache-hits'], 0, 'no check key was even computed');
  const verified = Object.entries(second).filter(([k]) => k.startsWith('status:')).reduce((n, [, c]) => n + c, 0);
  assert.equal(second['doc-cache-hits'], verified);
  assert.equal(why(db, 'acme/hw:rtl/top.v').verdict.details.verification!.status, 'compiles');

  // export --verified compiles keeps only what the toolchain accepted.
  const out = join(makeTempDir(), 'out');
  const ex = runCli(['--db', db, 'export', '--out', out, '--verified', 'compiles', '--fim-rate', '0']);
  assert.equal(ex.status, 0, ex.stderr);
  const records = readdirSync(out).filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(join(out, f), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; meta: { path: string } }));
  const paths = records.map((r) => r.meta.path).sort();
  assert.ok(paths.includes('rtl/top.v') && paths.includes('sw/main.c'));
  for (const p of paths) assert.notEqual(EXPECTED_STATUS[p] ?? 'compiles', 'syntax-error', p);
  assert.ok(!paths.includes('rtl/broken.v') && !paths.includes('evil/leak.c') && !paths.includes('README.md'));
  assert.doesNotMatch(records.find((r) => r.meta.path === 'rtl/top.v')!.text, /\r| \n/, 'exported text is the refined one');
});

test('missing toolchains: reported once each, status toolchain-missing, the rebuild still succeeds; --no-verify skips', () => {
  const repo = writeVerifyFixture(makeTempDir(), join(makeTempDir(), 'pwned'));
  const db = join(makeTempDir(), 'c.db');
  assert.equal(runCli(['--db', db, 'crawl', 'dir', repo, '--repo', 'acme/hw']).status, 0);
  // A PATH holding only node: every toolchain is missing.
  const bin = join(makeTempDir(), 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const { summary, stderr } = rebuildJson(db, { PATH: bin });
  assert.equal((stderr.match(/iverilog not found on PATH; install the Debian package iverilog/g) ?? []).length, 1, stderr);
  assert.match(stderr, /arm-none-eabi-gcc not found on PATH; install the Debian package gcc-arm-none-eabi/);
  assert.equal(summary.stages.verify!.counters!['tool-runs'], 0);
  assert.equal(why(db, 'acme/hw:rtl/top.v').verdict.details.verification!.status, 'toolchain-missing');
  assert.equal(why(db, 'acme/hw:sw/main.c').verdict.details.verification!.status, 'toolchain-missing');

  const r = runCli(['--db', db, 'rebuild', '--no-verify', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(why(db, 'acme/hw:rtl/top.v').verdict.details.verification, undefined);
});

test('the refinement proof reports a code change as a mismatch', async () => {
  requireTool('gcc');
  requireTool('yosys');
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const env = { pool: createProcessPool(2), cache: openVerifyCache(db), limits: {}, counters: { hits: 0, runs: 0, cpuMs: 0, wallMs: 0 } };
  try {
    const c = (text: string) => ({ target: { path: 'src/f.c', text } });
    assert.equal((await proveRefinement('c', 'general', 'int f(void) { return 1; }\n', c('int f(void)\n{\n  return 1;\n}\n'), env))!.status, 'identical');
    assert.equal((await proveRefinement('c', 'general', 'int f(void) { return 1; }\n', c('int f(void) { return 2; }\n'), env))!.status, 'mismatch');
    const v = (text: string) => ({ target: { path: 'rtl/m.v', text } });
    assert.equal((await proveRefinement('verilog', 'chip-design', 'module m(input a, output y); assign y = a; endmodule\n', v('module m(input a, output y); assign y = ~a; endmodule\n'), env))!.status, 'mismatch');
  } finally {
    env.pool.close();
    db.close();
  }
});
