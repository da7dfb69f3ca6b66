import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SANDBOX_LEVELS } from '../../annotate/verify/sandbox.js';
import { sanitizeLog } from '../../annotate/verify/sanitize-log.js';
import { findUnsafeDirective, findUnsafeInclude } from '../../annotate/verify/unsafe-input.js';
import { verifyDoc } from '../../annotate/verify/verify-doc.js';
import { openCorpus } from '../../corpus/db.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { makeDoc, makeTempDir, runCli, writeTree } from '../helpers.js';
import { ESCAPE_CASES, materializeCase, plantSecret } from './escape-cases.js';
import { narrowPath } from './narrow-path.js';
import { requireBwrap, requireTool } from './toolchain-required.js';
import { verifyEnvFor } from './verify-env.js';

test('every escape form, at every sandbox level: refused before any tool runs, or contained — nothing of the host is stored', async () => {
  for (const t of ['gcc', 'iverilog'] as const) requireTool(t);
  await requireBwrap();
  const secret = plantSecret(makeTempDir('incorpus-host-'));
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const texts: Record<string, Record<string, string>> = {};
  try {
    ESCAPE_CASES.forEach((c, i) => {
      const files = materializeCase(c, secret);
      texts[c.name] = files;
      const root = writeTree(makeTempDir('incorpus-escape-'), files);
      for (const [p, target] of Object.entries(c.links ?? {})) {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        symlinkSync(target.replace('SECRET_DIR', secret.dir), join(root, p));
      }
      crawlDir(db, { path: root, repo: `case/${i}` });
    });
    for (const level of SANDBOX_LEVELS) {
      const env = verifyEnvFor(db, { sandbox: level });
      try {
        for (const [i, c] of ESCAPE_CASES.entries()) {
          const doc = makeDoc(c.target, texts[c.name]![c.target]!, { repo: `case/${i}` });
          const v = (await verifyDoc(doc, env))!;
          const stored = JSON.stringify(v);
          assert.ok(!stored.includes(secret.token), `${level} / ${c.name}: the host file's content reached the result: ${stored}`);
          assert.ok(!stored.includes(secret.dir), `${level} / ${c.name}: a host path reached the result: ${stored}`);
          if (c.expect === 'unsafe-include') assert.equal(v.status, 'unsafe-include', `${level} / ${c.name}: ${stored}`);
          else assert.notEqual(v.status, 'compiles', `${level} / ${c.name}: it cannot compile without the host file: ${stored}`);
          // Where the host is visible, what only the tool could expand is refused too.
          if (level !== 'bwrap' && c.name.includes('stringified')) assert.equal(v.status, 'unsafe-include', `${level} / ${c.name}`);
        }
      } finally {
        env.pool.close();
      }
    }
  } finally {
    db.close();
  }
});

test('directive forms the pre-check resolves: literal, macro chains, parameters, instance overrides; comments and strings', () => {
  assert.equal(findUnsafeDirective('src/a.c', '#include <stdio.h>\n#include "../inc/x.h"\n'), null);
  assert.equal(findUnsafeDirective('rtl/m.v', '`include "defs.vh"\ninitial $readmemh("rom.hex", mem);\n'), null);
  assert.deepEqual(findUnsafeDirective('a.c', '#define A "/etc/passwd"\n#define B A\n#include B\n')?.reason, 'absolute');
  assert.deepEqual(findUnsafeDirective('rtl/m.v', 'parameter F = "../../x.hex";\ninitial $readmemh(F, m);\n')?.reason, 'escapes');
  assert.deepEqual(findUnsafeDirective('a.c', '#include CONFIG_FILE\n')?.reason, 'unresolvable');
  // An unresolvable directive is left to the sandbox only where the host is hidden (bwrap).
  assert.equal(findUnsafeInclude('a.c', '#include CONFIG_FILE\n', false), null);
  assert.ok(findUnsafeInclude('a.c', '#include CONFIG_FILE\n', true));
  // A definite escape later in the file outranks an unresolvable one before it.
  assert.equal(findUnsafeInclude('rtl/m.v', '`include `CFG\n`include "/etc/passwd"\n', false), '`include "/etc/passwd"');
  // C++ member calls with absolute strings are not HDL parameter overrides.
  assert.equal(findUnsafeDirective('src/a.cpp', 'f.open("/etc/hosts");\n'), null);
});

test('the log sanitizer drops every path outside the work dir, ../ forms included', () => {
  const work = '/tmp/incorpus-sbx-abc/j1/_/_';
  const raw = [
    `In file included from ${work}/src/a.c:1:`,
    '/etc/passwd:1:5: error: expected identifier before ":" token',
    `${work}/src/../../../../../etc/shadow:1:1: error: unknown type name 'root'`,
    'src/../../etc/hostname:1: syntax error',
    '../../../../home/u/.ssh/id_rsa:1: error: stray',
    '/usr/../etc/passwd:2: error: x',
    'root:x:0:0:root:/root:/bin/bash',
    `${work}/src/a.c:3:1: error: unknown type name 'foo'`,
    '    3 | foo bar;',
    `%Error: ${work}/rtl/x.v:2:1: syntax error`,
    "src/a.c:4:9: error: expected expression before '/' token",
    '                    ... For error description see https://verilator.org/warn/PINNOTFOUND?v=5.006',
  ].join('\n');
  const s = sanitizeLog(raw, [work]);
  assert.doesNotMatch(s, /root:x|passwd|shadow|hostname|id_rsa|incorpus-sbx|foo bar/);
  assert.match(s, /^In file included from src\/a\.c:1:$/m);
  assert.equal(s.match(/elided/g)?.length, 1, 'a run of elided lines is one line');
  assert.match(s, /src\/a\.c:3:1: error: unknown type name 'foo'/);
  assert.match(s, /%Error: rtl\/x\.v:2:1: syntax error/);
  assert.match(s, /expected expression before '\/' token/);
  assert.ok(sanitizeLog('x.c:1: error: e\n'.repeat(1000), []).split('\n').length <= 12);
  // Errors are kept ahead of a run of warnings that would fill the bound.
  const noisy = sanitizeLog(`${'a.v:1: warning: w\n'.repeat(40)}a.v:99: error: the real one\n`, []);
  assert.match(noisy, /the real one/);
});

test('fails closed from the CLI: no bwrap → no tool runs unless --sandbox accepts a weaker level, which is printed and recorded', () => {
  requireTool('gcc');
  const repo = writeTree(makeTempDir(), { 'src/a.c': '// SPDX-License-Identifier: MIT\nint main(void) { return 0; }\n' });
  const db = join(makeTempDir(), 'c.db');
  assert.equal(runCli(['--db', db, 'crawl', 'dir', repo, '--repo', 'acme/sw']).status, 0);
  const PATH = narrowPath(['node', 'gcc', 'setpriv', 'unshare']);
  const status = () => {
    const r = runCli(['--db', db, 'why', 'acme/sw:src/a.c', '--json']);
    return (JSON.parse(r.stdout) as { verdict: { details: { verification: { status: string; sandbox?: string } } } }).verdict.details.verification;
  };
  const strict = runCli(['--db', db, 'rebuild', '--json'], { env: { PATH } });
  assert.equal(strict.status, 0, strict.stderr);
  assert.match(strict.stderr, /no accepted sandbox can start \(bwrap: bwrap \(Debian package bubblewrap\) not found on PATH\); no tool runs/);
  assert.equal((JSON.parse(strict.stdout) as { stages: { verify: { counters: Record<string, number> } } }).stages.verify.counters['tool-runs'], 0);
  assert.equal(status().status, 'sandbox-unavailable');
  const weak = runCli(['--db', db, 'rebuild', '--sandbox', 'unshare', '--json'], { env: { PATH } });
  assert.equal(weak.status, 0, weak.stderr);
  assert.match(weak.stderr, /verify: sandbox unshare \(accepted by --sandbox unshare\): weaker than bubblewrap/);
  assert.deepEqual([status().status, status().sandbox], ['compiles', 'unshare']);
  assert.match(runCli(['--db', db, 'stats']).stdout, /sandbox: unshare 1/);
  // The same file under bwrap again: a different cache key, a fresh check.
  const again = runCli(['--db', db, 'rebuild', '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual([status().status, status().sandbox], ['compiles', 'bwrap']);
  assert.ok(readFileSync(db).length > 0);
});
