import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { InputError } from '../../pipeline/errors.js';
import { crawlGit, redactUrl, repoNameFromUrl } from '../../crawlers/crawl-git.js';
import { makeTempDir, writeTree } from '../helpers.js';

function makeGitRepo(): { dir: string; first: string; second: string } {
  const dir = writeTree(makeTempDir(), { 'rtl/top.v': 'module top; endmodule\n' });
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  git('tag', 'v1');
  const first = git('rev-parse', 'HEAD');
  writeFileSync(join(dir, 'rtl', 'top.v'), 'module top(input a); endmodule\n');
  writeFileSync(join(dir, 'README.md'), '# top\n');
  git('add', '.');
  git('commit', '-q', '-m', 'second');
  return { dir, first, second: git('rev-parse', 'HEAD') };
}

test('crawl git shallow-fetches a local repository and records the commit', () => {
  const { dir, second } = makeGitRepo();
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const r = crawlGit(db, { url: dir, repo: 'acme/top' });
  assert.equal(r.counts.seen, 2);
  const repo = db.prepare('SELECT commit_sha, revision_time, url FROM repos WHERE name = ?').get('acme/top') as { commit_sha: string; revision_time: string; url: string };
  assert.equal(repo.commit_sha, second);
  assert.match(repo.revision_time, /^\d{4}-\d\d-\d\dT/);
  assert.match(repo.url, /^file:\/\//);
  db.close();
});

test('crawl git --ref takes a tag or a commit', () => {
  const { dir, first } = makeGitRepo();
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const r = crawlGit(db, { url: dir, ref: 'v1', repo: 'acme/top' });
  assert.equal(r.counts.seen, 1);
  assert.equal(db.prepare('SELECT commit_sha FROM repos').pluck().get(), first);
  db.close();
});

test('crawl git fails clearly on a bad URL or ref, and refuses command-running transports', () => {
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  assert.throws(() => crawlGit(db, { url: '/no/such/repo' }), InputError);
  const { dir } = makeGitRepo();
  assert.throws(() => crawlGit(db, { url: dir, ref: 'no-such-branch' }), (e: unknown) => e instanceof InputError && /failed/.test(e.message));
  assert.throws(() => crawlGit(db, { url: 'ext::sh -c touch% /tmp/pwned' }), InputError);
  db.close();
});

test('repository names come from URLs; credentials never survive', () => {
  assert.equal(repoNameFromUrl('https://github.com/YosysHQ/picorv32.git'), 'YosysHQ/picorv32');
  assert.equal(repoNameFromUrl('git@github.com:cliffordwolf/picorv32.git'), 'cliffordwolf/picorv32');
  assert.equal(repoNameFromUrl('/srv/repos/alu/'), 'alu');
  assert.equal(redactUrl('https://user:ghp_secret@github.com/a/b.git'), 'https://github.com/a/b.git');
});
