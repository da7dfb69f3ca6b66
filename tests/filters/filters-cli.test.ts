import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { buildLabelledSet } from './pii-labelled-set.js';
import { makeTempDir, runCli, writeTree } from '../helpers.js';
import { debianLicense, requireReal, spdxText } from './filter-fixtures.js';

/** Every exported record, whatever the shard format's compression. */
function readExport(dir: string): Array<{ id: string; text: string; meta: Record<string, unknown> }> {
  const out = [];
  for (const f of readdirSync(dir).filter((n) => /\.jsonl(?:\.gz)?$/.test(n)).sort()) {
    const raw = readFileSync(join(dir, f));
    const text = (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line));
  }
  return out;
}

function crawl(db: string, files: Record<string, string>, repo: string): void {
  const r = runCli(['--db', db, 'crawl', 'dir', writeTree(makeTempDir(), files), '--repo', repo]);
  assert.equal(r.status, 0, r.stderr);
}

test('license policy end to end: repository, directory and header evidence; why, stats and export say what was decided', () => {
  const db = join(makeTempDir(), 'c.db');
  const v = (name: string): string => `module ${name}(input a, output y);\n  assign y = ~a;\nendmodule\n`;
  crawl(db, {
    LICENSE: spdxText('MIT'),
    'rtl/inv.v': v('inv'),
    'rtl/gpl_inv.v': `// SPDX-License-Identifier: GPL-3.0-or-later\n${v('gpl_inv')}`,
    'third_party/ip/LICENSE': debianLicense('GPL-2'),
    'third_party/ip/ip.v': v('ip'),
  }, 'acme/mit-core');
  crawl(db, { 'Cargo.toml': '[package]\nname = "k"\nlicense = "MIT OR Apache-2.0"\n', 'LICENSE-MIT': spdxText('MIT'), 'LICENSE-APACHE': debianLicense('Apache-2.0'), 'k.cu': '__global__ void k(float *x) { x[threadIdx.x] *= 2.0f; }\n' }, 'acme/dual');
  crawl(db, { LICENSE: spdxText('MIT'), 'package.json': '{"name":"c","license":"GPL-3.0-only"}', 'c.c': 'int conflict(void) { return 1; }\n' }, 'acme/conflict');
  crawl(db, { 'none.c': 'int none(void) { return 2; }\n' }, 'acme/none');
  crawl(db, { COPYING: debianLicense('GPL-3'), 'g.c': 'int gpl(void) { return 3; }\n' }, 'acme/gpl');

  const rebuilt = runCli(['--db', db, 'rebuild', '--json']);
  assert.equal(rebuilt.status, 0, rebuilt.stderr);
  const why = (key: string): { verdict: { verdict: string; reason: string; details: Record<string, any> } } => JSON.parse(runCli(['--db', db, 'why', key, '--json']).stdout);
  assert.equal(why('acme/mit-core:rtl/inv.v').verdict.details.license, 'MIT');
  assert.equal(why('acme/mit-core:rtl/gpl_inv.v').verdict.reason, 'license-not-allowed', 'a GPL header in an MIT repository is GPL');
  assert.equal(why('acme/mit-core:rtl/gpl_inv.v').verdict.details.license.overridesRepository, true);
  assert.equal(why('acme/mit-core:third_party/ip/ip.v').verdict.reason, 'license-not-allowed', 'a vendored GPL directory is GPL');
  assert.equal(why('acme/mit-core:third_party/ip/ip.v').verdict.details.license.from, 'directory:third_party/ip');
  assert.equal(why('acme/dual:k.cu').verdict.details.license, 'MIT OR Apache-2.0');
  const conflict = why('acme/conflict:c.c').verdict;
  assert.equal(conflict.reason, 'license-conflict');
  assert.deepEqual(conflict.details.license.candidates, ['MIT', 'GPL-3.0-only']);
  const none = why('acme/none:none.c').verdict;
  assert.equal(none.reason, 'license-none', 'no license evidence: dropped by the default (conservative) policy');
  assert.equal(none.details.license.class, 'no-license');
  assert.equal(why('acme/gpl:g.c').verdict.reason, 'license-not-allowed');
  assert.match(runCli(['--db', db, 'why', 'acme/conflict:c.c']).stdout, /DROPPED .* by license: license-conflict/);

  const stats = runCli(['--db', db, 'stats']).stdout;
  assert.match(stats, /dropped license\/license-not-allowed: \d+/);
  assert.match(stats, /dropped license\/license-none: 1/);

  const out = join(makeTempDir(), 'out');
  assert.equal(runCli(['--db', db, 'export', '--out', out, '--fim-rate', '0']).status, 0);
  const byPath = new Map(readExport(out).map((r) => [`${r.meta.repo}:${r.meta.path}`, r.meta.license]));
  assert.equal(byPath.get('acme/mit-core:rtl/inv.v'), 'MIT', 'export carries the decided license');
  assert.equal(byPath.get('acme/dual:k.cu'), 'MIT OR Apache-2.0');
  assert.ok(!byPath.has('acme/none:none.c'));
  assert.ok(!byPath.has('acme/gpl:g.c'));

  // Policy is configuration: allow the GPL and keep unlicensed code (flagged, ranked below permissive copies), no code change.
  const cfg = join(makeTempDir(), 'policy.json');
  writeFileSync(cfg, JSON.stringify({ license: { allow: ['MIT', 'Apache-2.0', 'GPL-3.0-only', 'GPL-3.0-or-later'], noLicense: 'keep' } }));
  assert.equal(runCli(['--db', db, 'rebuild', '--config', cfg]).status, 0);
  assert.equal(why('acme/gpl:g.c').verdict.verdict, 'keep');
  assert.equal(why('acme/none:none.c').verdict.details.licenseDecision.status, 'none', 'kept and flagged');
  assert.match(runCli(['--db', db, 'stats']).stdout, /license of kept files: .*none 1/);
  const out2 = join(makeTempDir(), 'out');
  assert.equal(runCli(['--db', db, 'export', '--out', out2, '--fim-rate', '0']).status, 0);
  assert.equal(new Map(readExport(out2).map((r) => [`${r.meta.repo}:${r.meta.path}`, r.meta.license])).get('acme/none:none.c'), null);
  const bad = runCli(['--db', db, 'rebuild', '--config', (writeFileSync(cfg, '{"license":{"allow":["Apache 2"]}}'), cfg)]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /license\.allow/);
});

test('no planted secret reaches the export: crawl → rebuild → export on real Debian code with planted PII', () => {
  requireReal('/usr/share/yosys', 'yosys');
  requireReal('/usr/include/newlib', 'libnewlib-dev');
  const set = buildLabelledSet([
    { dir: '/usr/share/yosys', ext: /\.v$/, lang: 'verilog' },
    { dir: '/usr/include/newlib', ext: /\.h$/, lang: 'c' },
  ], 15, 'pii-e2e');
  // Distinct file names, an MIT license so the license stage keeps everything.
  const files: Record<string, string> = { LICENSE: spdxText('MIT') };
  set.forEach((f, i) => (files[`src/${i}-${f.path.split('/').pop()}`] = f.text));
  const db = join(makeTempDir(), 'c.db');
  crawl(db, files, 'acme/planted');
  assert.equal(runCli(['--db', db, 'rebuild']).status, 0);
  const out = join(makeTempDir(), 'out');
  assert.equal(runCli(['--db', db, 'export', '--out', out, '--fim-rate', '0.5', '--seed', '3']).status, 0);
  const exported = readExport(out).map((r) => r.text).join('\n');
  const planted = set.flatMap((f) => f.planted);
  assert.ok(planted.length >= 80, `${planted.length} planted values`);
  for (const p of planted) assert.ok(!exported.includes(p.value), `planted ${p.kind} reached the export`);
  assert.match(exported, /<EMAIL>|<KEY>|<PASSWORD>/);

  const stats = runCli(['--db', db, 'stats']).stdout;
  assert.match(stats, /redacted: \d+ kept files .*email \d+/);
  assert.match(stats, /redactions by rule: /);
  const idx = set.findIndex((f) => f.planted.length > 0);
  const name = `src/${idx}-${set[idx]!.path.split('/').pop()}`;
  const why = runCli(['--db', db, 'why', `acme/planted:${name}`]).stdout;
  assert.match(why, /redacted by pii: \d+/);
  for (const p of set[idx]!.planted) assert.ok(!why.includes(p.value), 'why never prints a redacted value');
});
