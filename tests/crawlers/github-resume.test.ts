import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { makeTempDir, startCli } from '../helpers.js';
import { startFakeGitHub, type FakeRepo } from './github-fake-server.js';

function run(args: string[]): { child: ReturnType<typeof startCli>; done: Promise<{ status: number | null; signal: string | null; out: string }> } {
  const child = startCli(args, { env: { GITHUB_TOKEN: 'ghp_resume' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return { child, done: new Promise((ok) => child.on('close', (status, signal) => ok({ status, signal, out }))) };
}

test('a crawl killed mid-way (SIGKILL) resumes: no window searched twice, no finished repository fetched twice, nothing lost', async () => {
  const repos: FakeRepo[] = Array.from({ length: 12 }, (_, i) => ({
    full_name: `hdl/r${String(i).padStart(2, '0')}`, language: 'VHDL', stars: 100 - i,
    files: { [`src/r${i}.vhd`]: `entity r${i} is end entity;\n`, 'README.md': `# r${i}\n` },
  }));
  let victim: ReturnType<typeof startCli> | null = null;
  let killedAt: string | null = null;
  const gh = await startFakeGitHub({
    repos,
    onArchive: (name, n) => {
      if (n === 5 && victim) {
        killedAt = name;
        victim.kill('SIGKILL');
      }
    },
  });
  const dbPath = join(makeTempDir(), 'c.db');
  const args = ['--db', dbPath, 'crawl', 'github', '--query', 'language:vhdl', '--api-url', gh.apiUrl, '--retry-unit', '2', '--search-interval', '0'];
  try {
    const first = run(args);
    victim = first.child;
    const r1 = await first.done;
    assert.equal(r1.signal, 'SIGKILL', r1.out);
    const searchesBefore = gh.log.filter((l) => l.path.startsWith('/search/')).length;
    victim = null;
    const r2 = await run(args).done;
    assert.equal(r2.status, 0, r2.out);
    assert.equal(gh.log.filter((l) => l.path.startsWith('/search/')).length, searchesBefore, 'the finished search window is not sent again');
    const counts = new Map<string, number>();
    for (const a of gh.archives) counts.set(a, (counts.get(a) ?? 0) + 1);
    assert.equal(counts.size, 12);
    for (const [name, n] of counts) assert.equal(n, name === killedAt ? 2 : 1, `${name} fetched ${n} times`);
    const db = openCorpus(dbPath);
    assert.equal(db.prepare("SELECT count(*) FROM files WHERE status = 'ok' AND current = 1").pluck().get(), 24);
    assert.equal(db.prepare("SELECT count(*) FROM github_queue WHERE status = 'done'").pluck().get(), 12);
    db.close();
    // A third run of a finished query costs nothing at all.
    const sent = gh.log.length;
    const r3 = await run(args).done;
    assert.equal(r3.status, 0, r3.out);
    assert.equal(gh.log.length, sent);
    assert.match(r3.out, /repositories: 0 ingested/);
  } finally {
    await gh.close();
  }
});
