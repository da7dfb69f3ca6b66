import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openCorpus } from '../../corpus/db.js';
import { getRepoSkipped } from '../../crawlers/github/github-store.js';
import { crawlGithub } from '../../crawlers/github/crawl-github.js';
import { readTarball, safeRelativePath, type TarEvent } from '../../crawlers/github/tarball-entries.js';
import { makeTempDir } from '../helpers.js';
import { startFakeGitHub } from './github-fake-server.js';
import { buildTarGz, type TarEntrySpec } from './github-tarballs.js';

const MiB = 1024 * 1024;
const FAST = { token: 'ghp_x', retryAfterBaseMs: 2, searchIntervalMs: 0 };
const TOP = 'evil-repo-abcdef0';

const hostileEntries: TarEntrySpec[] = [
  { name: `${TOP}/`, type: 'directory' },
  { name: `${TOP}/rtl/ok.v`, content: 'module ok; endmodule\n' },
  { name: `${TOP}/../../../../tmp/incorpus-pwned.v`, content: 'module pwned; endmodule\n' },
  { name: '/tmp/incorpus-pwned-abs.v', content: 'module abs; endmodule\n' },
  { name: 'other-top/stray.v', content: 'module stray; endmodule\n' },
  { name: `${TOP}/rtl/link.v`, type: 'symlink', linkname: '/etc/passwd' },
  { name: `${TOP}/rtl/hard.v`, type: 'link', linkname: '../../../etc/shadow' },
  { name: `${TOP}/rtl/pipe.v`, type: 'fifo' },
  { name: `${TOP}/rtl/huge.v`, zeros: 3 * MiB },
  { name: `${TOP}/rtl/after.v`, content: 'module after; endmodule\n' },
];

async function events(buf: Buffer, limits: Partial<Parameters<typeof readTarball>[1]> = {}): Promise<TarEvent[]> {
  const out: TarEvent[] = [];
  for await (const ev of readTarball(Readable.from([buf]), { maxFileBytes: MiB, maxArchiveBytes: 64 * MiB, maxEntries: 1000, keep: () => true, ...limits })) out.push(ev);
  return out;
}

test('entry names that would escape the root are refused with a reason', () => {
  assert.equal(safeRelativePath('top/a/b.v', 'top'), 'a/b.v');
  assert.match((safeRelativePath('top/../x', 'top') as { reason: string }).reason, /escapes/);
  assert.match((safeRelativePath('/etc/x', '/etc') as { reason: string }).reason, /absolute/);
  assert.match((safeRelativePath('C:/x', 'C:') as { reason: string }).reason, /absolute/);
  assert.match((safeRelativePath('top\\..\\..\\x', 'top') as { reason: string }).reason, /escapes/);
  assert.match((safeRelativePath('other/x', 'top') as { reason: string }).reason, /outside/);
  assert.match((safeRelativePath('top/a\nb', 'top') as { reason: string }).reason, /control/);
});

test('a hostile archive: traversal, absolute and stray entries skipped; links and fifos recorded, never followed; a huge entry recorded too-large', async () => {
  const evs = await events(await buildTarGz(hostileEntries));
  const files = new Map(evs.filter((e) => e.kind === 'file').map((e) => [e.file.path, e.file]));
  assert.equal(files.get('rtl/ok.v')?.status, 'ok');
  assert.equal(files.get('rtl/after.v')?.status, 'ok', 'entries after a huge one are still read');
  assert.equal(files.get('rtl/link.v')?.status, 'symlink');
  assert.equal(files.get('rtl/hard.v')?.status, 'special');
  assert.match(files.get('rtl/hard.v')!.reason!, /hard link/);
  assert.equal(files.get('rtl/pipe.v')?.status, 'special');
  assert.equal(files.get('rtl/huge.v')?.status, 'too-large');
  assert.equal(files.get('rtl/huge.v')?.content, undefined);
  const skipped = evs.filter((e) => e.kind === 'skip').map((e) => e.reason);
  assert.equal(skipped.length, 3);
  assert.ok(skipped.some((r) => /escapes/.test(r)) && skipped.some((r) => /absolute/.test(r)) && skipped.some((r) => /outside/.test(r)));
});

test('a hostile first entry cannot choose the top directory', async () => {
  const evs = await events(await buildTarGz([{ name: '../../x.v', content: 'x' }, ...hostileEntries.slice(0, 2)]));
  assert.deepEqual(evs.map((e) => e.kind), ['skip', 'file']);
  assert.equal((evs[1] as { file: { path: string } }).file.path, 'rtl/ok.v');
});

test('a gzip bomb, a corrupt and a truncated archive are rejected whole', async () => {
  const bomb = await buildTarGz([{ name: `${TOP}/`, type: 'directory' }, { name: `${TOP}/zeros.v`, zeros: 64 * MiB }]);
  assert.ok(bomb.length < MiB / 4, `bomb is ${bomb.length} bytes compressed`);
  await assert.rejects(events(bomb, { maxArchiveBytes: 8 * MiB, maxFileBytes: 128 * MiB }), { name: 'ArchiveRejectedError', message: /inflates past/ });
  await assert.rejects(events(randomBytes(4096)), { name: 'ArchiveRejectedError', message: /corrupt/ });
  const good = await buildTarGz(hostileEntries.slice(0, 2).concat([{ name: `${TOP}/big.v`, content: randomBytes(64 * 1024).toString('hex') }]));
  await assert.rejects(events(good.subarray(0, Math.floor(good.length / 2))), { name: 'ArchiveRejectedError' });
  await assert.rejects(events(bomb, { maxEntries: 1 }), { message: /more than 1 entries/ });
});

test('crawling hostile repositories: reasons recorded, rejected archives leave no files, nothing written outside the work directory', async () => {
  const hostile = await buildTarGz(hostileEntries);
  const bomb = await buildTarGz([{ name: `${TOP}/`, type: 'directory' }, { name: `${TOP}/a.v`, content: 'module a; endmodule\n' }, { name: `${TOP}/zeros.v`, zeros: 64 * MiB }]);
  const gh = await startFakeGitHub({
    repos: [
      { full_name: 'evil/repo', files: { x: '1' }, tarball: async () => hostile },
      { full_name: 'evil/bomb', files: { x: '2' }, tarball: async () => bomb },
      { full_name: 'evil/noise', files: { x: '3' }, tarball: async () => randomBytes(2048) },
    ],
  });
  const work = makeTempDir();
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const cwd = process.cwd();
  process.chdir(work);
  try {
    const opts = { repos: ['evil/repo', 'evil/bomb', 'evil/noise'], apiUrl: gh.apiUrl, maxFileBytes: MiB, maxArchiveBytes: 16 * MiB, ...FAST };
    const r = await crawlGithub(db, opts);
    assert.deepEqual(r.byStatus, { ingested: 1, unchanged: 0, rejected: 2, failed: 0 });
    const paths = db.prepare("SELECT f.path, f.status FROM files f JOIN repos r ON r.id = f.repo_id WHERE r.name = 'evil/repo' ORDER BY f.path").all() as { path: string; status: string }[];
    assert.deepEqual(paths.map((p) => p.path), ['rtl/after.v', 'rtl/hard.v', 'rtl/huge.v', 'rtl/link.v', 'rtl/ok.v', 'rtl/pipe.v']);
    assert.equal(getRepoSkipped(db, 'evil/repo').length, 3);
    assert.equal(db.prepare("SELECT count(*) FROM files f JOIN repos r ON r.id = f.repo_id WHERE r.name IN ('evil/bomb', 'evil/noise')").pluck().get(), 0);
    assert.match(String(db.prepare("SELECT reason FROM github_repo_state WHERE repo = 'evil/bomb'").pluck().get()), /gzip bomb/);
    assert.deepEqual(readdirSync(work), [], 'nothing written in the working directory');
    assert.ok(!existsSync('/tmp/incorpus-pwned.v') && !existsSync('/tmp/incorpus-pwned-abs.v'));
    // A rejected archive is not downloaded again for the same commit.
    const before = gh.archives.length;
    const again = await crawlGithub(db, opts);
    assert.equal(gh.archives.length, before);
    assert.equal(again.byStatus.rejected, 2);
  } finally {
    process.chdir(cwd);
    db.close();
    await gh.close();
  }
});
