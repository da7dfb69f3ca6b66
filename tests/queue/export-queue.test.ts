import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeTempDir, runCli, writeKeepUnlicensedConfig } from '../helpers.js';
import { runCliAsync, startWorker } from './cluster.js';
import { writeRealRepos } from './material.js';
import { startTestRedis } from './redis-server.js';

/**
 * `export --queue` against the in-process export of the same corpus: every
 * file byte for byte (shards, manifest, card, report), with 1 and 3 workers,
 * for file records cut into several shards and parts (JSONL + gzip, token
 * counts, a validation split), Parquet, and repository-level samples.
 */
const root = makeTempDir('incorpus-export-queue-');
const db = join(root, 'corpus.db');

const VARIANTS: Record<string, string[]> = {
  jsonl: ['--compress', 'gzip', '--shard-size', '15000', '--val-fraction', '0.4', '--tokenizer', 'cl100k_base', '--seed', '5'],
  parquet: ['--format', 'parquet', '--shard-size', '30000', '--fim-spans', 'char'],
  repo: ['--repo-level', '--fim-tokens', 'starcoder2', '--repo-sample-size', '8000', '--shard-size', '20000', '--val-fraction', '0.3'],
};

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.status, 0, `${what} failed: ${r.stderr}`);
  return r.stdout;
}

/** Every file of an export directory, name → bytes (hidden temporary names would show up here too). */
function files(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().filter((n) => statSync(join(dir, n)).isFile()).map((n) => [n, readFileSync(join(dir, n))]));
}

before(() => {
  const repos = writeRealRepos(join(root, 'src'));
  ok(runCli(['--db', db, 'crawl', 'dir', ...repos]), 'crawl');
  ok(runCli(['--db', db, 'rebuild', '--no-verify', '--config', writeKeepUnlicensedConfig(root)]), 'rebuild');
  for (const [name, args] of Object.entries(VARIANTS)) ok(runCli(['--db', db, 'export', '--out', join(root, `ref-${name}`), ...args]), `in-process export ${name}`);
});

test('export --queue: byte-identical to the in-process export with 1 and 3 workers (JSONL gzip, Parquet, repository samples)', async () => {
  for (const n of [1, 3]) {
    const redis = await startTestRedis();
    const workers = Array.from({ length: n }, () => startWorker(redis.url));
    try {
      for (const [name, args] of Object.entries(VARIANTS)) {
        const out = join(root, `w${n}-${name}`);
        const summary = JSON.parse(ok(await runCliAsync(['--db', db, 'export', '--out', out, ...args, '--json', '--part-docs', '3', '--queue', redis.url, '--store', join(root, `w${n}-store`)]), `${n} worker(s) ${name}`)) as { files: unknown[] };
        const ref = files(join(root, `ref-${name}`));
        const got = files(out);
        assert.deepEqual([...got.keys()], [...ref.keys()], `${n} worker(s) ${name}: file names`);
        for (const [f, bytes] of ref) assert.ok(got.get(f)!.equals(bytes), `${n} worker(s) ${name}: ${f} differs from the in-process export`);
        if (name !== 'repo') assert.ok(summary.files.length >= 2, `${name}: several shards (${summary.files.length})`);
      }
      const log = workers.map((w) => w.log()).join('');
      assert.ok([...log.matchAll(/export-part-[0-9a-f]+: \d+ items/g)].length >= 6, log);
      assert.ok([...log.matchAll(/export-shard-[0-9a-f]+: \d+ items/g)].length >= 5, log);
      if (n === 3) assert.ok(workers.filter((w) => /export-(part|shard)-[0-9a-f]+: \d+ items/.test(w.log())).length >= 2, 'the jobs were spread over several workers');
    } finally {
      for (const w of workers) await w.stop();
      await redis.stop();
    }
  }
});

test('export --queue: exporting again into the same directory reuses the parts and rewrites the shards, same bytes', async () => {
  const redis = await startTestRedis();
  const worker = startWorker(redis.url);
  try {
    const out = join(root, 'again');
    const args = ['--db', db, 'export', '--out', out, ...VARIANTS.jsonl!, '--part-docs', '3', '--queue', redis.url, '--store', join(root, 'again-store')];
    ok(await runCliAsync(args), 'first');
    const before = worker.log();
    ok(await runCliAsync(args), 'second');
    const second = worker.log().slice(before.length);
    assert.doesNotMatch(second, /export-part-[0-9a-f]+: \d+ items/, 'no part ran twice');
    assert.match(second, /export-shard-[0-9a-f]+: \d+ items/, 'the shards were written again');
    const ref = files(join(root, 'ref-jsonl'));
    for (const [f, bytes] of files(out)) assert.ok(ref.get(f)?.equals(bytes), `${f} differs`);
  } finally {
    await worker.stop();
    await redis.stop();
  }
});
