import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { makeTempDir } from '../helpers.js';
import { startFakeGitHub, type FakeRepo } from '../crawlers/github-fake-server.js';
import { runCliAsync, startWorker } from './cluster.js';
import { startTestRedis } from './redis-server.js';

/**
 * `crawl github --queue` against the local fake GitHub (REST shapes from
 * @octokit/fixtures): one job per repository on 3 workers stores what the
 * in-process crawl stores, and every API request of all workers and the
 * coordinator goes through one limiter in Redis — the total request rate
 * respects one --request-interval, not three.
 */
const TOKEN = 'ghp_QUEUETESTTOKENabcdefghijklmnopqrstuvwx';
const INTERVAL = 120;
const repos: FakeRepo[] = Array.from({ length: 6 }, (_, i) => ({
  full_name: `fpga-lab/core${i}`, language: 'Verilog', stars: 10 * i, forks: i, topics: ['fpga'], license: i % 2 ? 'MIT' : 'Apache-2.0',
  files: {
    [`rtl/core${i}.v`]: `module core${i}(input clk, input [7:0] a, output reg [7:0] y);\n  always @(posedge clk) y <= a + 8'd${i};\nendmodule\n`,
    'README.md': `# core${i}\n`,
    ...(i === 2 ? { 'sw/main.c': 'int main(void) { return 0; }\n' } : {}),
  },
}));
const slugs = repos.map((r) => r.full_name);

/** What a crawl stored: repositories with their GitHub facts, files, ingest state. */
function stored(dbPath: string): unknown {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      repos: db.prepare('SELECT name, url, commit_sha, stars, forks, fork_parent, license_claim, topics, archived, pushed_at, default_branch FROM repos ORDER BY name').all(),
      files: db.prepare('SELECT f.id, r.name, f.path, f.size, f.sha256, f.status, f.reason, f.current FROM files f JOIN repos r ON r.id = f.repo_id ORDER BY f.id').all(),
      state: db.prepare('SELECT repo, commit_sha, status, reason, skipped FROM github_repo_state ORDER BY repo').all(),
      queue: db.prepare('SELECT job, repo, status, seq FROM github_queue ORDER BY job, seq').all(),
      etags: db.prepare('SELECT url, etag FROM github_etags ORDER BY url').all(),
    };
  } finally {
    db.close();
  }
}

test('crawl github --queue: 3 workers store what the in-process crawl stores, at one shared request rate', async () => {
  const root = makeTempDir('incorpus-github-queue-');
  const gh = await startFakeGitHub({ repos });
  const redis = await startTestRedis();
  const env = { GITHUB_TOKEN: TOKEN };
  const workers = Array.from({ length: 3 }, () => startWorker(redis.url, env));
  const args = (db: string) => ['--db', db, 'crawl', 'github', '--repo', ...slugs, '--api-url', gh.apiUrl, '--retry-unit', '2', '--search-interval', '0', '--json'];
  try {
    const ref = join(root, 'ref.db');
    const r0 = await runCliAsync(args(ref), env);
    assert.equal(r0.status, 0, r0.stderr);
    const from = gh.log.length;
    const db = join(root, 'queued.db');
    const q = ['--queue', redis.url, '--store', join(root, 'store'), '--request-interval', String(INTERVAL)];
    const r1 = await runCliAsync([...args(db), ...q], env);
    assert.equal(r1.status, 0, r1.stderr);
    assert.equal(JSON.parse(r1.stdout).repos.ingested, 6, r1.stdout);
    assert.deepEqual(stored(db), stored(ref), 'the queued crawl stored something else than the in-process one');

    // One limit for everyone: n requests from 4 processes span about (n - 1) intervals.
    // Bottleneck spaces the starts in Redis's clock; the server logs the replies, so
    // each end carries one process's scheduling jitter (CI once saw 1,887 ms for
    // 18 requests, 3 ms under a fixed 150 ms allowance). 0.8 of the span still fails
    // for any two independent limiters (0.5) and for four of them (0.25).
    const times = gh.log.slice(from).map((l) => l.at).sort((a, b) => a - b);
    assert.ok(times.length >= 18, `3 API requests per repository at least (${times.length})`);
    const span = times.at(-1)! - times[0]!;
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    assert.ok(span >= 0.8 * (times.length - 1) * INTERVAL, `${times.length} requests in ${span} ms: faster than one request per ${INTERVAL} ms (gaps ${gaps.join(' ')})`);
    const busy = workers.filter((w) => /github-[0-9a-f]+: \d+ items/.test(w.log()));
    assert.ok(busy.length >= 2, `jobs ran on several workers: ${workers.map((w) => w.log()).join('\n')}`);
    assert.ok(gh.log.slice(from).every((l) => l.auth === `token ${TOKEN}`), 'workers send their own GITHUB_TOKEN');

    // Again: the ETags and ingest state travel to the jobs, so nothing changed means nothing downloaded.
    const archives = gh.archives.length;
    const r2 = await runCliAsync([...args(db), ...q], env);
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(JSON.parse(r2.stdout).repos.unchanged, 6, r2.stdout);
    assert.equal(gh.archives.length, archives, 'no archive downloaded for unchanged repositories');
  } finally {
    for (const w of workers) await w.stop();
    await redis.stop();
    await gh.close();
  }
});
