import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createProcessPool } from '../../annotate/verify/process-pool.js';
import { acceptedLevels, SANDBOX_LEVELS, type SandboxLevel } from '../../annotate/verify/sandbox.js';
import { openSandboxSession, probeSandbox, resolveSandbox, runSandboxed } from '../../annotate/verify/sandbox-session.js';
import { makeTempDir } from '../helpers.js';
import { narrowPath } from './narrow-path.js';
import { requireBwrap } from './toolchain-required.js';

const sh = (script: string, level: SandboxLevel = 'bwrap', limits = {}) => runSandboxed({ cmd: '/bin/sh', args: ['-c', script], workDir: makeTempDir('incorpus-sbx-'), level, limits });

async function withPath<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = path;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

test('bwrap hides host files, the network and the environment', async () => {
  await requireBwrap();
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

test('every level runs tools as nobody, with no capabilities and no new privileges', async () => {
  for (const level of SANDBOX_LEVELS) {
    assert.equal(await probeSandbox(level), null, `${level} must work on the test machine (bubblewrap, util-linux)`);
    const r = await sh('id -u; id -g; grep -E "^(CapPrm|CapEff|CapBnd|NoNewPrivs)" /proc/self/status', level);
    const [uid, gid, ...status] = r.output.trim().split('\n');
    if (process.getuid?.() === 0 || level === 'bwrap') assert.deepEqual([uid, gid], ['65534', '65534'], `${level}: ${r.output}`);
    for (const line of status) {
      if (line.startsWith('NoNewPrivs')) assert.match(line, /\t1$/, `${level}: ${line}`);
      else assert.match(line, /\t0+$/, `${level}: ${line}`);
    }
    // A root-only host file stays unreadable even where the host is visible.
    assert.doesNotMatch((await sh('cat /etc/shadow 2>&1', level)).output, /^root:/m, level);
  }
  // unshare: own network namespace; rlimits-only: only the rlimits and the uid.
  const net = await sh('cat /proc/net/dev', 'unshare');
  assert.deepEqual(net.output.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(':')[0]), ['lo']);
});

test('writes stay in the private work dir; /usr is read-only, /tmp is private', async () => {
  await requireBwrap();
  const marker = `/tmp/incorpus-sbx-marker-${process.pid}`;
  const dir = makeTempDir('incorpus-sbx-');
  const r = await runSandboxed({ cmd: '/bin/sh', args: ['-c', `echo x > ${marker}; echo y > out.txt; echo z > /usr/evil 2>&1; echo done`], workDir: dir, level: 'bwrap' });
  assert.match(r.output, /done/);
  assert.equal(existsSync(marker), false, 'the sandbox /tmp is a private tmpfs');
  assert.equal(existsSync('/usr/evil'), false);
  assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'y\n');
});

test('limits at every level: wall-clock timeout kills the group, file size, memory, output bound', async () => {
  for (const level of SANDBOX_LEVELS) {
    const slow = await sh('sleep 30 & sleep 30; echo never', level, { timeoutMs: 300 });
    assert.equal(slow.timedOut, true, level);
    assert.ok(slow.wallMs < 10_000, `${level}: ${slow.wallMs}`);
    const dir = makeTempDir('incorpus-sbx-');
    const big = await runSandboxed({ cmd: '/bin/sh', args: ['-c', 'head -c 5000000 /dev/zero > big; echo rc=$?'], workDir: dir, level, limits: { fileBytes: 1_000_000 } });
    assert.ok(statSync(join(dir, 'big')).size <= 1_000_000, `${level}: ${big.output}`);
    const mem = await sh('awk \'BEGIN { s = "x"; while (1) s = s s }\'', level, { memoryBytes: 64 * 1024 * 1024 });
    assert.notEqual(mem.exitCode, 0, level);
    assert.equal(mem.timedOut, false, level);
    // The CPU-time rlimit ends a busy loop long before the wall clock would.
    // On a heavily loaded machine 1 s of CPU can take many seconds of wall clock (a fresh-clone CI run under load hit 30 s), so the wall limit is far away.
    const spin = await sh('while :; do :; done', level, { cpuSeconds: 1, timeoutMs: 180_000 });
    assert.equal(spin.timedOut, false, level);
    assert.ok(spin.signal === 'SIGXCPU' || spin.signal === 'SIGKILL', `${level}: ${spin.signal}`);
    // The kernel's CPU accounting is tick-based: under load the recorded time at the kill lands a little below the limit.
    assert.ok(spin.cpuMs >= 700, `${level}: cpu ${spin.cpuMs}`);
    const chatty = await sh('yes incorpus | head -c 1000000', level, { maxOutputBytes: 1000 });
    assert.equal(chatty.output.length, 1000, level);
    assert.equal(chatty.truncated, true, level);
  }
});

test('rlimits hold from the tool\'s first instruction: a shell that forks a writer at once never writes past RLIMIT_FSIZE', async () => {
  // The helper used to set the limits on the spawned pid after posix_spawn returned; a shell could fork
  // `head` in that window, and head inherited no limit (3 of 120 runs under load wrote 5 MB under a 1 MB
  // limit). Now util-linux prlimit sets them on itself and execs the tool. 60 quick runs in one session per
  // level: the old window was hit in a few percent of runs on a loaded machine.
  for (const level of SANDBOX_LEVELS) {
    const s = openSandboxSession(level);
    try {
      for (let i = 0; i < 60; i++) {
        const dir = s.makeWorkDir();
        const r = await s.run({ cmd: '/bin/sh', args: ['-c', 'head -c 5000000 /dev/zero > big; echo rc=$?'], cwd: dir, limits: { fileBytes: 1_000_000 } });
        assert.ok(statSync(join(dir, 'big')).size <= 1_000_000, `${level} run ${i}: ${r.output}`);
        s.discardWorkDir(dir);
      }
    } finally {
      s.close();
    }
  }
});

test('CPU time of the tool and its children is measured exactly (wait4 rusage)', async () => {
  const r = await sh('awk \'BEGIN { for (i = 0; i < 3000000; i++) s += i; print s }\' & wait');
  assert.equal(r.exitCode, 0);
  assert.ok(r.cpuMs > 0, `cpuMs ${r.cpuMs}`);
});

test('one session runs many checks; a missing program is an answer, not a dead sandbox', async () => {
  await requireBwrap();
  const s = openSandboxSession('bwrap');
  try {
    for (let i = 0; i < 5; i++) {
      const dir = s.makeWorkDir();
      const r = await s.run({ cmd: '/bin/sh', args: ['-c', `echo ${i} > f; cat f; ls ..`], cwd: dir });
      assert.equal(r.output.split('\n')[0], String(i));
    }
    const gone = await s.run({ cmd: '/usr/bin/no-such-tool', args: [], cwd: s.makeWorkDir() });
    assert.equal(gone.exitCode, 127);
    assert.equal(gone.sandboxError, undefined);
    assert.equal((await s.run({ cmd: '/bin/true', args: [], cwd: s.makeWorkDir() })).exitCode, 0);
  } finally {
    s.close();
  }
});

test('fails closed: bwrap unavailable is an error unless a weaker level is accepted explicitly', async () => {
  const noBwrap = narrowPath(['setpriv', 'unshare']);
  await withPath(noBwrap, async () => {
    const strict = await resolveSandbox(acceptedLevels('bwrap'));
    assert.ok('error' in strict && /bwrap.*not found on PATH/.test(strict.error), JSON.stringify(strict));
    assert.deepEqual(await resolveSandbox(acceptedLevels('unshare')), { level: 'unshare' });
    assert.deepEqual(await resolveSandbox(acceptedLevels('rlimits-only')), { level: 'unshare' });
  });
  await withPath(narrowPath(['setpriv']), async () => {
    assert.ok('error' in (await resolveSandbox(acceptedLevels('unshare'))));
    assert.deepEqual(await resolveSandbox(acceptedLevels('rlimits-only')), { level: 'rlimits-only' });
  });
  await withPath(narrowPath([]), async () => {
    const none = await resolveSandbox(acceptedLevels('rlimits-only'));
    assert.ok('error' in none && /setpriv/.test(none.error));
  });
});

test('the process pool runs at most `size` tasks at once, in order, one session per slot', async () => {
  const pool = createProcessPool(2);
  let active = 0;
  let peak = 0;
  const slots = new Set<number>();
  await Promise.all(
    Array.from({ length: 6 }, () =>
      pool.run(async (slot) => {
        active++;
        slots.add(slot.index);
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.equal(pool.started, 6);
  assert.deepEqual([...slots].sort(), [0, 1]);
  pool.close();
});

test('the process pool starts the costliest queued task first, FIFO among equal costs', async () => {
  const pool = createProcessPool(1);
  const order: string[] = [];
  let open!: () => void;
  const held = pool.run(() => new Promise<void>((r) => (open = r)));
  const queued = [['small', 1], ['big', 100], ['medium-a', 10], ['medium-b', 10], ['none', 0]].map(([name, cost]) => pool.run(async () => void order.push(name as string), cost as number));
  open();
  await Promise.all([held, ...queued]);
  assert.deepEqual(order, ['big', 'medium-a', 'medium-b', 'small', 'none']);
  pool.close();
});

test('the process pool reports its occupancy: wall time with 0, 1 and 2 tasks running, and the tail since it was last full', async () => {
  const pool = createProcessPool(2);
  const nap = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await pool.run(() => nap(20));
  let o = pool.occupancy();
  assert.ok(o.ms[1]! > 0, 'one task ran alone');
  assert.equal(o.ms[2], 0, 'never two at once yet');
  await Promise.all([pool.run(() => nap(20)), pool.run(() => nap(20))]);
  await pool.run(() => nap(20));
  pool.close();
  o = pool.occupancy();
  assert.equal(o.ms.length, 3);
  assert.ok(o.ms[2]! > 0, 'two tasks ran together');
  // The last task ran alone after the pool was full: the tail covers at least that run.
  assert.ok(o.tailMs >= 15 && o.tailMs <= o.ms[0]! + o.ms[1]!, `tail ${o.tailMs} ms`);
  // The clock stopped at close().
  await nap(10);
  assert.deepEqual(pool.occupancy(), o);
});
