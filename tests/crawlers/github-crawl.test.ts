import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { crawlGithub } from '../../crawlers/github/crawl-github.js';
import { makeTempDir, startCli } from '../helpers.js';
import { startFakeGitHub, type FakeRepo } from './github-fake-server.js';

const TOKEN = 'ghp_TESTTOKENabcdefghijklmnopqrstuvwxyz0123';
const FAST = { retryAfterBaseMs: 2, searchIntervalMs: 0 };

const repos: FakeRepo[] = [
  {
    full_name: 'ultraembedded/riscv', language: 'Verilog', topics: ['risc-v', 'fpga'], stars: 900, forks: 120, license: 'BSD-3-Clause',
    files: { 'core/alu.v': 'module alu(input [31:0] a, b, output [31:0] y);\n  assign y = a + b;\nendmodule\n', 'README.md': '# riscv\n', 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]) },
  },
  { full_name: 'someone/riscv', fork: true, parent: 'ultraembedded/riscv', language: 'Verilog', stars: 1, files: { 'core/alu.v': 'module alu; endmodule\n' } },
];

function runCli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((ok) => child.on('close', (status) => ok({ status, stdout, stderr })));
}

test('crawl github --repo ingests metadata and files; the token reaches the API only, never the archive host, logs or database', async () => {
  const gh = await startFakeGitHub({ repos });
  const dbPath = join(makeTempDir(), 'c.db');
  try {
    const r = await runCli(['--db', dbPath, 'crawl', 'github', '--repo', 'ultraembedded/riscv', 'someone/riscv', '--api-url', gh.apiUrl, '--retry-unit', '2', '--search-interval', '0'], { GITHUB_TOKEN: TOKEN });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /repositories: 2 ingested/);
    const db = openCorpus(dbPath);
    const row = db.prepare("SELECT * FROM repos WHERE name = 'ultraembedded/riscv'").get() as Record<string, unknown>;
    assert.equal(row.stars, 900);
    assert.equal(row.forks, 120);
    assert.equal(row.license_claim, 'BSD-3-Clause');
    assert.deepEqual(JSON.parse(String(row.topics)), ['risc-v', 'fpga']);
    assert.equal(row.default_branch, 'main');
    assert.equal(row.archived, 0);
    assert.match(String(row.pushed_at), /^2024-/);
    assert.match(String(row.commit_sha), /^[0-9a-f]{40}$/);
    assert.equal(db.prepare("SELECT fork_parent FROM repos WHERE name = 'someone/riscv'").pluck().get(), 'ultraembedded/riscv');
    const files = db.prepare("SELECT path, status FROM files f JOIN repos r ON r.id = f.repo_id WHERE r.name = 'ultraembedded/riscv' ORDER BY path").all();
    // logo.png is dropped by the language filter before it is read.
    assert.deepEqual(files, [{ path: 'README.md', status: 'ok' }, { path: 'core/alu.v', status: 'ok' }]);
    db.close();
    assert.ok(gh.log.every((l) => l.auth === `token ${TOKEN}`), 'every API request carries the token');
    assert.deepEqual(gh.archiveAuth, [], 'the archive host never sees the token');
    assert.ok(!readFileSync(dbPath).includes(TOKEN), 'token not in the database');
    assert.ok(!(r.stdout + r.stderr).includes(TOKEN));
  } finally {
    await gh.close();
  }
});

test('a second crawl is conditional: 304s cost nothing, no archive is fetched twice, and a push is picked up', async () => {
  const gh = await startFakeGitHub({ repos: structuredClone(repos) });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const opts = { repos: ['ultraembedded/riscv', 'someone/riscv'], apiUrl: gh.apiUrl, token: TOKEN, ...FAST };
    await crawlGithub(db, opts);
    assert.equal(gh.archives.length, 2);
    const again = await crawlGithub(db, opts);
    assert.deepEqual(again.byStatus, { ingested: 0, unchanged: 2, rejected: 0, failed: 0 });
    assert.equal(again.requests.notModified, again.requests.sent, 'every request of the rerun was a 304');
    assert.equal(gh.archives.length, 2, 'no archive downloaded again');
    gh.update('ultraembedded/riscv', { 'core/alu.v': 'module alu2; endmodule\n', 'README.md': '# riscv\n' });
    const third = await crawlGithub(db, opts);
    assert.equal(third.byStatus.ingested, 1);
    assert.equal(third.files.changed, 1);
    assert.equal(gh.archives.length, 3);
  } finally {
    db.close();
    await gh.close();
  }
});

test('crawl github fails clearly: unknown repository, bad slug, both or neither of --repo/--query', async () => {
  const gh = await startFakeGitHub({ repos });
  const dbPath = join(makeTempDir(), 'c.db');
  try {
    const missing = await runCli(['--db', dbPath, 'crawl', 'github', '--repo', 'nobody/nothing', '--api-url', gh.apiUrl], { GITHUB_TOKEN: TOKEN });
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /failed nobody\/nothing: GitHub request GET \/repos\/nobody\/nothing failed \(HTTP 404\)/);
    assert.ok(!(missing.stdout + missing.stderr).includes(TOKEN));
    const bad = await runCli(['--db', dbPath, 'crawl', 'github', '--repo', '../etc', '--api-url', gh.apiUrl], {});
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /not a GitHub repository/);
    const neither = await runCli(['--db', dbPath, 'crawl', 'github', '--api-url', gh.apiUrl], {});
    assert.equal(neither.status, 2);
    const creds = await runCli(['--db', dbPath, 'crawl', 'github', '--repo', 'a/b', '--api-url', gh.apiUrl.replace('://', `://x:${TOKEN}@`)], {});
    assert.equal(creds.status, 2);
    assert.match(creds.stderr, /must not carry credentials/);
    assert.ok(!(creds.stdout + creds.stderr).includes(TOKEN));
  } finally {
    await gh.close();
  }
});

test('crawl github --code-query queues the repositories whose files carry a content marker, once', async () => {
  const gh = await startFakeGitHub({
    repos: [
      { full_name: 'k/triton-ops', language: 'Python', files: { 'ops.py': 'import triton\n@triton.jit\ndef add(x): pass\n', 'other.py': '@triton.jit\ndef mul(x): pass\n' } },
      { full_name: 'k/plain', language: 'Python', files: { 'app.py': 'print("@triton.jit is not here")\n' } },
      { full_name: 'k/notes', files: { 'notes.md': 'use @triton.jit\n' } },
    ],
  });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const r = await crawlGithub(db, { codeQuery: '"@triton.jit" language:python', apiUrl: gh.apiUrl, ...FAST, token: TOKEN });
    // k/plain matches too: code search is literal; recall's scoring, not the search, decides.
    assert.deepEqual(r.outcomes.map((o) => o.repo).sort(), ['k/plain', 'k/triton-ops']);
    const again = await crawlGithub(db, { codeQuery: '"@triton.jit" language:python', apiUrl: gh.apiUrl, ...FAST, token: TOKEN });
    assert.equal(again.outcomes.length, 0);
    assert.equal(gh.log.filter((l) => l.path.startsWith('/search/code')).length, 1);
  } finally {
    db.close();
    await gh.close();
  }
});

test('an empty repository (409) is recorded as rejected, not retried as a failure', async () => {
  const gh = await startFakeGitHub({ repos: [{ full_name: 'new/empty', empty: true }] });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const r = await crawlGithub(db, { repos: ['new/empty'], apiUrl: gh.apiUrl, ...FAST, token: TOKEN });
    assert.deepEqual(r.byStatus, { ingested: 0, unchanged: 0, rejected: 1, failed: 0 });
    assert.match(String(db.prepare("SELECT reason FROM github_repo_state WHERE repo = 'new/empty'").pluck().get()), /empty/);
    assert.equal(gh.log.filter((l) => l.status === 409).length, 1, 'a 409 is not retried');
  } finally {
    db.close();
    await gh.close();
  }
});
