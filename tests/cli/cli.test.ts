import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, makeTempDir, runCli, writeSampleRepo, writeKeepUnlicensedConfig } from '../helpers.js';

test('usage errors exit 2 with a message that names the problem', () => {
  const cases: Array<[string[], RegExp]> = [
    [['export'], /required option '--out <dir>'/],
    [['export', '--out', 'x', '--fim-rate', '1.5'], /expected a number from 0 to 1/],
    [['export', '--out', 'x', '--fim-tokens', 'gpt'], /Allowed choices are starcoder, starcoder2, deepseek, codellama, qwen2\.5/],
    [['export', '--out', 'x', '--format', 'csv'], /Allowed choices are jsonl, parquet/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['crawl', 'dir'], /missing required argument 'path'/],
    [['rebuild', '--threads', '0'], /expected a whole number ≥ 1/],
    [['crawl'], /Commands:[\s\S]*dir \[options\] <path(?:\.\.\.)?>/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')} → exit 2 (stderr: ${r.stderr})`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /--help/);
  }
  const bad = runCli(['why', 'not-an-id', '--db', join(makeTempDir(), 'none.db')]);
  assert.equal(bad.status, 1, 'a missing database is a failure, not a usage error');
  assert.match(bad.stderr, /no corpus database/);
});

test('--help works on every command and exits 0', () => {
  for (const args of [[], ['crawl'], ['crawl', 'dir'], ['crawl', 'git'], ['rebuild'], ['export'], ['stats'], ['why'], ['demo']]) {
    const r = runCli([...args, '--help']);
    assert.equal(r.status, 0, `${args.join(' ')} --help`);
    assert.match(r.stdout, /Usage: incorpus/);
  }
  assert.match(runCli(['export', '--help']).stdout, /--fim-rate <r>[\s\S]*?\(default:\s+0\.5\)/);
});

test('a reader that closes the pipe early (`--help | head -1`) ends the command quietly with status 141, no stack trace', async () => {
  // The read end is closed before the CLI starts, so its first write to stdout gets EPIPE every time.
  const child = spawn(process.execPath, [CLI, 'rebuild', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 141, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|at /);
});

test('crawl → rebuild → stats → why → export from the CLI, with --db and INCORPUS_DB', () => {
  const dir = makeTempDir();
  const db = join(dir, 'corpus.db');
  const repo = writeSampleRepo(makeTempDir());
  const c = runCli(['crawl', 'dir', repo, '--repo', 'acme/soc', '--db', db]);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /crawled acme\/soc: 5 files \(ok 4, binary 1\); 5 added/);
  const env = { INCORPUS_DB: db };
  assert.match(runCli(['crawl', 'dir', repo, '--repo', 'acme/soc'], { env }).stdout, /0 added, 0 changed, 5 unchanged/);
  // The sample repository has no license; the default policy would drop it all (license-none).
  const r = runCli(['rebuild', '--config', writeKeepUnlicensedConfig(dir)], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 documents seen, 4 kept, 1 dropped/);
  assert.equal(r.stderr, '', 'no progress output in a pipe');
  const s = JSON.parse(runCli(['stats', '--json'], { env }).stdout);
  assert.equal(s.generation.kept, 4);
  assert.equal(s.generation.keptBy.domain['gpu-kernel'], 1);
  const w = runCli(['why', 'acme/soc:blob.bin'], { env });
  assert.match(w.stdout, /DROPPED in generation 1 by validate: binary/);
  const wj = JSON.parse(runCli(['why', 'acme/soc:rtl/counter.v', '--json'], { env }).stdout);
  assert.equal(wj.verdict.verdict, 'keep');
  assert.equal(runCli(['why', wj.id], { env }).status, 0, 'lookup by document id');
  assert.equal(runCli(['why', 'acme/soc:nope.v'], { env }).status, 1);
  const out = join(dir, 'out');
  const e = runCli(['export', '--out', out, '--compress', 'gzip', '--fim-tokens', 'qwen2.5', '--seed', '5'], { env });
  assert.equal(e.status, 0, e.stderr);
  assert.ok(existsSync(join(out, 'train-00000.jsonl.gz')));
  assert.ok(existsSync(join(out, 'manifest.json')));
  // Nothing changed since the last rebuild with these options: said so, no new generation; --force builds one.
  const args = ['rebuild', '--no-verify', '--config', writeKeepUnlicensedConfig(dir)];
  assert.match(runCli(args, { env }).stdout, /^generation 2: 5 documents seen/);
  const again = runCli(args, { env });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^generation 2 is up to date: nothing changed since it was built \(.+\); no new generation \(--force builds one\)\n  5 documents seen, 4 kept, 1 dropped/);
  const forced = JSON.parse(runCli([...args, '--force', '--json'], { env }).stdout);
  assert.equal(forced.generation, 3);
  assert.equal(forced.unchanged, undefined);
  assert.match(runCli(['rebuild', '--help']).stdout, /--force\s+build a new generation even when nothing changed/);
});

test('export before any rebuild fails with advice', () => {
  const db = join(makeTempDir(), 'c.db');
  runCli(['crawl', 'dir', writeSampleRepo(makeTempDir()), '--db', db]);
  const r = runCli(['export', '--out', join(makeTempDir(), 'o'), '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /run `incorpus rebuild` first/);
});

test('long work draws progress on a terminal (under script(1), a real pty) and stays quiet in pipes', () => {
  const db = join(makeTempDir(), 'c.db');
  runCli(['crawl', 'dir', writeSampleRepo(makeTempDir()), '--db', db]);
  const env = { ...process.env };
  delete env.CI;
  const r = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --db ${JSON.stringify(db)} rebuild`, '/dev/null'], {
    encoding: 'utf8',
    env,
  });
  assert.equal(r.status, 0, `script(1) from bsdutils runs the CLI under a pty: ${r.stderr}`);
  assert.match(r.stdout, /rebuild \[#+-*\] \d+\/5/);
  assert.doesNotMatch(runCli(['--db', db, 'rebuild']).stderr, /rebuild \[/);
});
