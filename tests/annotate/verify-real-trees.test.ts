import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyDoc, type VerifyDocEnv } from '../../annotate/verify/verify-doc.js';
import { openCorpus, type Db } from '../../corpus/db.js';
import { verifyEnvFor } from './verify-env.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { makeDoc, makeTempDir } from '../helpers.js';
import { requireTool } from './toolchain-required.js';

/**
 * Real code nobody here wrote: Debian's yosys techmap library and newlib's
 * headers. Their files name modules and headers that live in sibling files —
 * exactly what repository context is for.
 */
const envFor = (db: Db): VerifyDocEnv => verifyEnvFor(db);

test('yosys techmap files compile with iverilog only in their repository context', async () => {
  requireTool('iverilog');
  assert.ok(existsSync('/usr/share/yosys/xilinx'), 'install the Debian package yosys (its techmap library is the real tree here)');
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    crawlDir(db, { path: '/usr/share/yosys', repo: 'debian/yosys' });
    const env = envFor(db);
    for (const path of ['xilinx/ff_map.v', 'xilinx/xc3s_mult_map.v']) {
      const doc = makeDoc(path, readFileSync(join('/usr/share/yosys', path), 'utf8'), { repo: 'debian/yosys' });
      const v = (await verifyDoc(doc, env))!;
      assert.equal(v.standalone.status, 'missing-dependency', `${path}: ${JSON.stringify(v)}`);
      assert.equal(v.status, 'compiles', `${path}: ${JSON.stringify(v)}`);
      assert.equal(v.context, 'repository');
      assert.ok(v.repository!.files >= 1);
    }
  } finally {
    db.close();
  }
});

test('newlib headers compile with gcc only with the repository include dirs', async () => {
  requireTool('gcc');
  assert.ok(existsSync('/usr/include/newlib/string.h'), 'install the Debian package libnewlib-dev (scripts/setup.sh installs it)');
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    crawlDir(db, { path: '/usr/include/newlib', repo: 'debian/newlib' });
    const env = envFor(db);
    for (const path of ['string.h', 'sys/cdefs.h']) {
      const doc = makeDoc(path, readFileSync(join('/usr/include/newlib', path), 'utf8'), { repo: 'debian/newlib' });
      const v = (await verifyDoc(doc, env))!;
      assert.equal(v.tool, 'gcc');
      assert.notEqual(v.standalone.status, 'compiles', path);
      assert.equal(v.status, 'compiles', `${path}: ${JSON.stringify(v)}`);
    }
    // The same checks again: answered from the cache, no compiler started.
    const runs = env.counters.runs;
    const doc = makeDoc('string.h', readFileSync('/usr/include/newlib/string.h', 'utf8'), { repo: 'debian/newlib' });
    assert.equal((await verifyDoc(doc, env))!.status, 'compiles');
    assert.equal(env.counters.runs, runs);
    assert.ok(env.counters.hits >= 2);
  } finally {
    db.close();
  }
});

test('a timeout is retried once and never cached as a fact; the next run checks again', async () => {
  requireTool('gcc');
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const env = envFor(db);
  try {
    const doc = makeDoc('src/a.c', 'int f(void) { return 1; }\n', { repo: 'r' });
    env.limits = { timeoutMs: 1 };
    const v = (await verifyDoc(doc, env))!;
    assert.equal(v.status, 'timeout');
    assert.deepEqual([env.counters.runs, env.counters.retries, env.counters.hits], [2, 1, 0], 'run, retried once, nothing cached');
    assert.equal((await verifyDoc(doc, env))!.status, 'timeout');
    assert.deepEqual([env.counters.runs, env.counters.hits], [4, 0], 'the second rebuild asks again');
    env.limits = { timeoutMs: 20_000 };
    assert.equal((await verifyDoc(doc, env))!.status, 'compiles');
    assert.equal(env.counters.runs, 5);
  } finally {
    env.pool.close();
    db.close();
  }
});
