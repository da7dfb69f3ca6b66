import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkGitRef, toFetchUrl } from '../../crawlers/git-values.js';
import { dependencyRefs } from '../../crawlers/recall/dependency-refs.js';
import { parseRepoSlug } from '../../crawlers/github/repo-metadata.js';
import { UsageError } from '../../pipeline/errors.js';
import { makeTempDir, runCli, writeTree } from '../helpers.js';
import { startFakeGitHub } from './github-fake-server.js';

/**
 * Every route by which a value reaches an external command, tried as an attacker
 * would with the real git: the command must not run (its marker file never
 * appears) and the user gets a plain error and exit code.
 */

function makeRepo(files: Record<string, string> = { 'top.v': 'module top; endmodule\n' }): string {
  const dir = writeTree(makeTempDir(), files);
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  return dir;
}

function attempt(args: string[]): { status: number | null; stderr: string; db: string } {
  const db = join(makeTempDir(), 'c.db');
  const r = runCli(['--db', db, 'crawl', 'git', ...args]);
  return { status: r.status, stderr: r.stderr, db };
}

test('crawl git --ref: an option-shaped ref never reaches git (the attack from issue 12)', () => {
  const repo = makeRepo();
  const marker = join(makeTempDir(), 'ran');
  for (const ref of [`--upload-pack=touch ${marker};git-upload-pack`, `-u touch ${marker}`, `--upload-pack=touch ${marker}`]) {
    const r = attempt([repo, '--ref', ref]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /is not a git ref: it starts with "-"/);
    assert.equal(existsSync(marker), false, `ran a command through --ref ${ref}`);
  }
  // The = form of the option, and a ref that smuggles a second argument, too.
  const eq = attempt([repo, `--ref=--upload-pack=touch ${marker}`]);
  assert.equal(eq.status, 2, eq.stderr);
  const spaced = attempt([repo, '--ref', `main --upload-pack=touch ${marker}`]);
  assert.equal(spaced.status, 2);
  assert.match(spaced.stderr, /contains a space/);
  assert.equal(existsSync(marker), false);
  // A plain branch name still works.
  assert.equal(attempt([repo, '--ref', 'main']).status, 0);
});

test('crawl git <url>: option-shaped URLs, ssh -o hosts and command-running transports are refused', () => {
  const dir = makeTempDir();
  const marker = join(dir, 'ran');
  const urls = [
    `--upload-pack=touch ${marker};:@x:`,
    `-oProxyCommand=touch ${marker}@host:repo`,
    `ssh://-oProxyCommand=touch%20${marker}/repo`,
    `ssh://-oProxyCommand=touch${marker}@h/repo`,
    `git@-oProxyCommand=touch:repo`,
    `ext::sh -c touch% ${marker}`,
    `fd::17`,
    `foo::bar`,
    `gopher://example.invalid/repo`,
  ];
  for (const url of urls) {
    const r = attempt(['--', url]);
    assert.equal(r.status, 1, `${url}: ${r.stderr}`);
    assert.match(r.stderr, /refusing|not a valid URL/, url);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'a plain message, not a stack trace');
    assert.equal(existsSync(marker), false, `ran a command through URL ${url}`);
  }
});

test('crawl git: a repository whose .gitmodules and .gitattributes carry commands runs none of them', () => {
  const marker = join(makeTempDir(), 'ran');
  const repo = makeRepo({
    'top.v': 'module top; endmodule\n',
    '.gitmodules': `[submodule "x"]\n\tpath = --upload-pack=touch ${marker}\n\turl = --upload-pack=touch ${marker}\n[submodule "y"]\n\tpath = y\n\turl = ext::sh -c touch% ${marker}\n\tupdate = !touch ${marker}\n`,
    '.gitattributes': '*.v filter=evil\n',
  });
  // A gitlink for the submodule, so a recursive checkout would try it.
  execFileSync('git', ['-C', repo, 'update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},y`]);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '-m', 'submodule']);
  execFileSync('git', ['-C', repo, 'config', 'filter.evil.smudge', `touch ${marker}`]);
  const r = attempt([repo, '--repo', 'acme/evil']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(marker), false, 'a submodule, filter or hook command ran');
});

test('checkGitRef follows git check-ref-format (--allow-onelevel) and refuses a leading "-"', () => {
  const values = ['main', 'HEAD', 'v1.0', 'refs/heads/main', 'feature/x-y', 'release-1_2', 'é', 'a..b', 'foo.lock', 'a/.b', '.a', 'a.', 'a/', '/a', 'a//b',
    'x@{y', '@', 'a b', 'a\\b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'tab\there', 'ok@x', 'refs/pull/12/head'];
  for (const v of values) {
    const git = spawnSync('git', ['check-ref-format', '--allow-onelevel', v]).status === 0;
    let ours = true;
    try {
      checkGitRef(v);
    } catch (err) {
      assert.ok(err instanceof UsageError);
      ours = false;
    }
    assert.equal(ours, git, `"${v}": git says ${git ? 'valid' : 'invalid'}`);
  }
  assert.equal(checkGitRef('0123456789abcdef0123456789abcdef01234567'), '0123456789abcdef0123456789abcdef01234567');
  assert.throws(() => checkGitRef('-main'), /starts with "-"/);
  assert.throws(() => checkGitRef('--upload-pack=x'), UsageError);
  assert.equal(toFetchUrl('https://github.com/YosysHQ/picorv32'), 'https://github.com/YosysHQ/picorv32');
  assert.equal(toFetchUrl('git@github.com:YosysHQ/picorv32.git'), 'git@github.com:YosysHQ/picorv32.git');
});

test('manifest names (.gitmodules, west.yml, FuseSoC .core) only yield GitHub slugs; hostile ones are dropped', () => {
  const gitmodules = '[submodule "a"]\n\turl = https://github.com/-oProxyCommand=x/repo\n[submodule "b"]\n\turl = https://github.com/ok-owner/--upload-pack=x\n[submodule "c"]\n\turl = https://github.com/good/core.git\n';
  assert.deepEqual(dependencyRefs('.gitmodules', gitmodules), ['good/core']);
  const core = 'provider:\n  name: github\n  user: "-x"\n  repo: "--upload-pack=y"\n';
  assert.deepEqual(dependencyRefs('evil.core', core), []);
  const west = 'manifest:\n  remotes:\n    - name: up\n      url-base: https://github.com/-evil\n  projects:\n    - name: hal\n      remote: up\n';
  assert.deepEqual(dependencyRefs('west.yml', west), []);
  for (const bad of ['-x/y', 'x-/y', 'a--b/c', 'a/-rf', '../etc', 'a/..', 'a/b/c', 'a/b?x=1', 'a/b#f', 'a /b']) {
    assert.throws(() => parseRepoSlug(bad), /not a GitHub repository/, bad);
  }
  assert.deepEqual(parseRepoSlug('YosysHQ/picorv32'), { owner: 'YosysHQ', repo: 'picorv32' });
  assert.deepEqual(parseRepoSlug('lowRISC/opentitan.github.io'), { owner: 'lowRISC', repo: 'opentitan.github.io' });
});

test('crawl github --repo: a hostile slug is refused before any request reaches the API', async () => {
  const gh = await startFakeGitHub({ repos: [{ full_name: 'good/core', files: { 'a.v': 'module a; endmodule\n' } }] });
  try {
    const db = join(makeTempDir(), 'c.db');
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../helpers.js');
    for (const slug of ['../../admin', '-x/y', 'a/b?per_page=1']) {
      const child = spawn(process.execPath, [CLI, '--db', db, 'crawl', 'github', '--api-url', gh.apiUrl, '--repo', slug], { env: { ...process.env, CI: '1' } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const status = await new Promise<number | null>((ok) => child.on('close', ok));
      assert.equal(status, 1, stderr);
      assert.match(stderr, /not a GitHub repository/);
    }
    assert.deepEqual(gh.log, [], 'no API request was sent for a hostile slug');
  } finally {
    await gh.close();
  }
});

test('web and PDF URLs: a sitemap cannot point the crawler at file:, data: or other schemes', async () => {
  const { createServer } = await import('node:http');
  const { readSitemap } = await import('../../crawlers/web/sitemap.js');
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(`<urlset><url><loc>file:///etc/passwd</loc></url><url><loc>data:text/html,&lt;pre&gt;x</loc></url><url><loc>javascript:alert(1)</loc></url><url><loc>/page.html</loc></url></urlset>`);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    assert.deepEqual(await readSitemap(`${base}/sitemap.xml`), [`${base}/page.html`]);
    const r = runCli(['--db', join(makeTempDir(), 'c.db'), 'crawl', 'web', '--sitemap', 'file:///etc/passwd']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--sitemap must be an http\(s\) URL/);
    const pdf = runCli(['--db', join(makeTempDir(), 'c.db'), 'crawl', 'pdf', 'data:application/pdf,%PDF-1.4']);
    assert.equal(pdf.status, 1, 'a data: URL is no local file and is never fetched');
  } finally {
    server.close();
  }
});
