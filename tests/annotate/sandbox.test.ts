import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createProcessPool } from '../../annotate/verify/process-pool.js';
import { parseChildTimes, runSandboxed } from '../../annotate/verify/sandbox.js';
import { sanitizeLog } from '../../annotate/verify/sanitize-log.js';
import { findUnsafeInclude } from '../../annotate/verify/unsafe-input.js';
import { makeTempDir } from '../helpers.js';
import { requireBwrap } from './toolchain-required.js';

const sh = (script: string, limits = {}) => runSandboxed({ cmd: '/bin/sh', args: ['-c', script], workDir: makeTempDir('incorpus-sbx-'), limits });

test('the sandbox hides host files, the network and the environment', async () => {
  requireBwrap();
  const passwd = await sh('cat /etc/passwd; ls /root /home /work 2>&1 | head -3');
  assert.doesNotMatch(passwd.output, /root:x?:0:0/);
  assert.match(passwd.output, /No such file/);
  // A private network namespace has only a loopback device.
  const net = await sh('cat /proc/net/dev');
  assert.deepEqual(net.output.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(':')[0]), ['lo']);
  process.env.INCORPUS_TEST_SECRET = 'tok_s3cr3t';
  try {
    const env = await sh('env');
    assert.doesNotMatch(env.output, /tok_s3cr3t/);
    assert.match(env.output, /^PATH=\/usr\/local\/sbin:/m);
  } finally {
    delete process.env.INCORPUS_TEST_SECRET;
  }
});

test('writes stay in the private work dir; /usr is read-only, /tmp is private', async () => {
  requireBwrap();
  const marker = `/tmp/incorpus-sbx-marker-${process.pid}`;
  const dir = makeTempDir('incorpus-sbx-');
  const r = await runSandboxed({ cmd: '/bin/sh', args: ['-c', `echo x > ${marker}; echo y > out.txt; echo z > /usr/evil 2>&1; echo done`], workDir: dir });
  assert.match(r.output, /done/);
  assert.equal(existsSync(marker), false, 'the sandbox /tmp is a private tmpfs');
  assert.equal(existsSync('/usr/evil'), false);
  assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'y\n');
});

test('limits: wall-clock timeout kills the group, file size, memory, output bound', async () => {
  const slow = await sh('sleep 30 & sleep 30; echo never', { timeoutMs: 300 });
  assert.equal(slow.timedOut, true);
  assert.ok(slow.wallMs < 10_000);
  const dir = makeTempDir('incorpus-sbx-');
  const big = await runSandboxed({ cmd: '/bin/sh', args: ['-c', 'head -c 5000000 /dev/zero > big; echo rc=$?'], workDir: dir, limits: { fileBytes: 1_000_000 } });
  assert.ok(statSync(join(dir, 'big')).size <= 1_000_000, big.output);
  const mem = await sh('awk \'BEGIN { s = "x"; while (1) s = s s }\'', { memoryBytes: 64 * 1024 * 1024 });
  assert.notEqual(mem.exitCode, 0);
  assert.equal(mem.timedOut, false);
  const chatty = await sh('yes incorpus | head -c 1000000', { maxOutputBytes: 1000 });
  assert.equal(chatty.output.length, 1000);
  assert.equal(chatty.truncated, true);
});

test('CPU time of the tool is measured inside the sandbox', async () => {
  const r = await sh('awk \'BEGIN { for (i = 0; i < 3000000; i++) s += i; print s }\'');
  assert.equal(r.exitCode, 0);
  assert.ok(r.cpuMs > 0, `cpuMs ${r.cpuMs}`);
  assert.equal(parseChildTimes('0m0.000000s 0m0.000000s\n0m1.500000s 0m0.250000s\n'), 1750);
});

test('logs are sanitized: host paths elided, source echoes dropped, bounded', () => {
  const work = '/tmp/incorpus-verify-abc';
  const raw = [
    `In file included from ${work}/src/a.c:1:`,
    '/etc/passwd:1:5: error: expected identifier before ":" token',
    'root:x:0:0:root:/root:/bin/bash',
    `${work}/src/a.c:3:1: error: unknown type name 'foo'`,
    '    3 | foo bar;',
    '      | ^~~',
    `%Error: ${work}/rtl/x.v:2:1: syntax error`,
  ].join('\n');
  const s = sanitizeLog(raw, [work]);
  assert.doesNotMatch(s, /root:x|passwd|incorpus-verify|foo bar/);
  assert.match(s, /^In file included from src\/a\.c:1:$/m);
  assert.match(s, /elided/);
  assert.match(s, /src\/a\.c:3:1: error: unknown type name 'foo'/);
  assert.match(s, /%Error: rtl\/x\.v:2:1: syntax error/);
  assert.ok(sanitizeLog('x.c:1: error: e\n'.repeat(1000), []).split('\n').length <= 12);
});

test('directives that read host files are found before any tool runs', () => {
  assert.ok(findUnsafeInclude('a.c', '#include "/etc/passwd"\n'));
  assert.ok(findUnsafeInclude('src/a.c', '#include "../../etc/passwd"\n'));
  assert.ok(findUnsafeInclude('rtl/m.v', 'initial $readmemh("/etc/shadow", mem);\n'));
  assert.ok(findUnsafeInclude('rtl/m.v', '`include "/home/u/.ssh/id_rsa"\n'));
  assert.equal(findUnsafeInclude('src/a.c', '#include <stdio.h>\n#include "../inc/x.h"\n'), null);
  assert.equal(findUnsafeInclude('rtl/m.v', '`include "defs.vh"\ninitial $readmemh("rom.hex", mem);\n'), null);
});

test('the process pool runs at most `size` tasks at once, in order', async () => {
  const pool = createProcessPool(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      pool.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        active--;
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.equal(pool.started, 6);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
});
