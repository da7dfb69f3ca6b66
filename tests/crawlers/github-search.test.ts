import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { countQueue, countSearchWindows } from '../../crawlers/github/github-store.js';
import { createGitHubClient } from '../../crawlers/github/client.js';
import { crawlGithub } from '../../crawlers/github/crawl-github.js';
import { searchRepos } from '../../crawlers/github/search-repos.js';
import { splitWindow, windowQualifiers, fullWindow, FIRST_DAY, SIZE_OPEN } from '../../crawlers/github/search-windows.js';
import { makeTempDir } from '../helpers.js';
import { startFakeGitHub, type FakeRepo } from './github-fake-server.js';

const FAST = { token: 'ghp_x', retryAfterBaseMs: 2, searchIntervalMs: 0 };

/** 2,300 Verilog repositories: 1,200 spread over years, 1,100 created on one day (so size must split them). */
function manyRepos(): FakeRepo[] {
  const spread = Array.from({ length: 1200 }, (_, i) => ({
    full_name: `org${i % 37}/core-${i}`, language: 'Verilog', stars: i % 50, size: 10 + i,
    created_at: new Date(Date.UTC(2012, 0, 1) + i * 2.5 * 86_400_000).toISOString(),
  }));
  const sameDay = Array.from({ length: 1100 }, (_, i) => ({
    full_name: `burst/ip-${i}`, language: 'Verilog', stars: 1, size: i * 3, created_at: '2020-05-05T12:00:00Z',
  }));
  return [...spread, ...sameDay, { full_name: 'web/app', language: 'JavaScript', size: 5 }];
}

test('windows cut dates first, then sizes, and print as GitHub qualifiers', () => {
  const w = fullWindow(new Date('2026-01-01T00:00:00Z'));
  assert.equal(windowQualifiers(w), 'created:2008-01-01..2026-01-01 size:0..*');
  const [a, b] = splitWindow(w)!;
  assert.equal(a.toDay + 1, b.fromDay);
  const day = { fromDay: FIRST_DAY, toDay: FIRST_DAY, sizeLo: 0, sizeHi: SIZE_OPEN };
  const [lo, hi] = splitWindow(day)!;
  assert.equal(windowQualifiers(lo), 'created:2008-01-01 size:0..1024');
  assert.equal(windowQualifiers(hi), 'created:2008-01-01 size:1025..*');
  assert.equal(splitWindow({ ...day, sizeHi: 0 }), null);
});

test('a query with 2,300 results is sliced into windows under the 1,000 cap; a rerun sends no search request', async () => {
  const gh = await startFakeGitHub({ repos: manyRepos() });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const client = await createGitHubClient(db, { apiUrl: gh.apiUrl, ...FAST });
    const r = await searchRepos(db, client, { query: 'language:verilog', job: 'q' });
    assert.equal(r.queued, 2300);
    assert.deepEqual(countQueue(db, 'q'), { pending: 2300 });
    assert.ok(r.windowsSplit >= 3, `split ${r.windowsSplit}`);
    assert.equal(r.windowsTruncated, 0);
    assert.ok(gh.log.every((l) => l.status === 200), 'no 422 past the cap, no error');
    assert.ok(countSearchWindows(db, 'language:verilog').split! >= 3);
    const sent = gh.log.length;
    const again = await searchRepos(db, client, { query: 'language:verilog', job: 'q' });
    assert.equal(again.queued, 0);
    assert.equal(gh.log.length, sent, 'finished windows are not searched again');
  } finally {
    db.close();
    await gh.close();
  }
});

test('a window that cannot be cut further takes the first 1,000 and says so', async () => {
  const same = Array.from({ length: 1005 }, (_, i) => ({ full_name: `same/r${i}`, language: 'VHDL', size: 7, created_at: '2019-03-03T00:00:00Z' }));
  const gh = await startFakeGitHub({ repos: same });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const warnings: string[] = [];
  try {
    const client = await createGitHubClient(db, { apiUrl: gh.apiUrl, ...FAST });
    const r = await searchRepos(db, client, { query: 'language:vhdl', job: 'q', log: (m) => warnings.push(m) });
    assert.equal(r.queued, 1000);
    assert.equal(r.windowsTruncated, 1);
    assert.match(warnings.join('\n'), /1005 results at one day and one size/);
  } finally {
    db.close();
    await gh.close();
  }
});

test('rate limits (secondary 403 + Retry-After, primary 403 at zero remaining) and 502s are survived with zero failed requests', async () => {
  const repos: FakeRepo[] = Array.from({ length: 30 }, (_, i) => ({
    full_name: `fpga/ip${i}`, language: 'Verilog', stars: i, files: { [`rtl/ip${i}.v`]: `module ip${i}(input clk); endmodule\n` },
  }));
  const gh = await startFakeGitHub({ repos, secondaryLimitEvery: 4, primaryLimitEvery: 9, serverErrorEvery: 13 });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const logs: string[] = [];
    const r = await crawlGithub(db, { query: 'language:verilog', apiUrl: gh.apiUrl, ...FAST, log: (m) => logs.push(m) });
    assert.equal(r.byStatus.ingested, 30);
    // The waits come from the headers: Retry-After: 1 for secondary limits, x-ratelimit-reset (now) + 1 s for primary ones.
    assert.ok(logs.some((m) => /^secondary rate limit on GET .*: waiting 1s/.test(m)), logs.join('\n'));
    assert.ok(logs.some((m) => /^primary rate limit on GET .*: waiting [12]s/.test(m)), logs.join('\n'));
    assert.equal(r.byStatus.failed, 0);
    assert.equal(r.requests.failed, 0);
    assert.ok(r.requests.rateLimitWaits >= 10, `waits ${r.requests.rateLimitWaits}`);
    assert.ok(gh.log.some((l) => l.status === 502));
    assert.equal(db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get(), 30);
  } finally {
    db.close();
    await gh.close();
  }
});

test('a window cut short by --limit is not recorded as done: a later run without the limit finishes it', async () => {
  const gh = await startFakeGitHub({ repos: Array.from({ length: 30 }, (_, i) => ({ full_name: `x/r${i}`, language: 'Verilog' })) });
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  try {
    const client = await createGitHubClient(db, { apiUrl: gh.apiUrl, ...FAST });
    assert.equal((await searchRepos(db, client, { query: 'language:verilog', job: 'q', limit: 5, perPage: 10 })).queued, 5);
    assert.deepEqual(countSearchWindows(db, 'language:verilog'), {});
    assert.equal((await searchRepos(db, client, { query: 'language:verilog', job: 'q', perPage: 10 })).queued, 25);
    assert.deepEqual(countSearchWindows(db, 'language:verilog'), { done: 1 });
  } finally {
    db.close();
    await gh.close();
  }
});
