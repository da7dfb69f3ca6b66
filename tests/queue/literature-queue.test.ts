import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers.js';
import { makeListingPdf, realVerilog } from '../ocr/pdf-fixtures.js';
import { startFakeGitHub } from '../crawlers/github-fake-server.js';
import { startLocalSite, type LocalSite } from '../crawlers/local-site.js';
import { UNIVERSE, UNIVERSE_RECALL_CONFIG } from '../crawlers/recall-universe.js';
import { runCliAsync, startWorker, type TestWorker } from './cluster.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { storedRows } from './stored-rows.js';

/**
 * `crawl pdf`, `crawl web` and `recall` with --queue on 2 real workers store
 * what the in-process command stores (every row of every table, wall-clock
 * columns aside), and the requests of all workers share one limiter in Redis.
 * Local servers only: PDFs on disk and over HTTP, a local site, the fake GitHub.
 */
async function withCluster<T>(n: number, env: Record<string, string>, fn: (redis: TestRedis, workers: TestWorker[]) => Promise<T>): Promise<T> {
  const redis = await startTestRedis();
  const workers = Array.from({ length: n }, () => startWorker(redis.url, env));
  try {
    return await fn(redis, workers);
  } finally {
    for (const w of workers) await w.stop();
    await redis.stop();
  }
}

const busy = (workers: TestWorker[]): number => workers.filter((w) => /literature-[0-9a-f]+: \d+ items|github-[0-9a-f]+: \d+ items/.test(w.log())).length;

test('crawl pdf --queue: 2 workers store what the in-process crawl stores (good, not-a-PDF and same-name documents)', async () => {
  const root = makeTempDir('incorpus-pdf-queue-');
  const shelf = join(root, 'shelf');
  mkdirSync(join(shelf, 'old'), { recursive: true });
  writeFileSync(join(shelf, 'mul2dsp-notes.pdf'), makeListingPdf({ lines: realVerilog(), caption: 'Listing 4.1: mul2dsp.v' }));
  writeFileSync(join(shelf, 'adff2dff.pdf'), makeListingPdf({ lines: realVerilog('/usr/share/yosys/adff2dff.v'), caption: 'Listing 1: adff2dff.v' }));
  // Same file name in another folder: the second gets its URI's hash in the repository name (decided in order, on the coordinator).
  writeFileSync(join(shelf, 'old', 'adff2dff.pdf'), makeListingPdf({ lines: realVerilog('/usr/share/yosys/dff2ff.v'), caption: 'Listing 2: dff2ff.v' }));
  writeFileSync(join(shelf, 'renamed.pdf'), 'this is a text file with a .pdf name\n');
  const args = (db: string): string[] => ['--db', db, 'crawl', 'pdf', shelf, '--ocr-workers', '1', '--json'];
  await withCluster(2, {}, async (redis, workers) => {
    const ref = join(root, 'ref.db');
    const r0 = await runCliAsync(args(ref));
    assert.equal(r0.status, 0, r0.stderr);
    const db = join(root, 'queued.db');
    const r1 = await runCliAsync([...args(db), '--queue', redis.url, '--store', join(root, 'store')]);
    assert.equal(r1.status, 0, r1.stderr);
    const out = JSON.parse(r1.stdout) as Array<{ repo: string | null; status: string }>;
    assert.deepEqual(out.map((o) => o.status).sort(), ['failed', 'ok', 'ok', 'ok']);
    assert.equal(new Set(out.map((o) => o.repo).filter(Boolean)).size, 3, JSON.stringify(out));
    assert.deepEqual(JSON.parse(r1.stdout), JSON.parse(r0.stdout), 'the queued crawl reported something else');
    assert.deepEqual(storedRows(db), storedRows(ref), 'the queued crawl stored something else than the in-process one');
    assert.ok(busy(workers) >= 2, `jobs ran on both workers: ${workers.map((w) => w.log()).join('\n')}`);
  });
});

const page = (title: string, code: string): string => `<html><head><title>${title}</title></head><body><p>${title}:</p><pre class="lang-verilog">${code}</pre></body></html>`;

async function startSite(pages: number): Promise<LocalSite> {
  return startLocalSite((path, send, base) => {
    if (path === '/robots.txt') return send(200, 'text/plain', 'User-agent: *\nDisallow: /private/\nCrawl-delay: 0.15\n');
    if (path === '/sitemap.xml') {
      const locs = [...Array.from({ length: pages }, (_, i) => `/docs/p${i}.html`), '/private/x.html', '/docs/missing.html'].map((p) => `<url><loc>${base}${p}</loc></url>`);
      return send(200, 'application/xml', `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.join('')}</urlset>`);
    }
    const m = /^\/docs\/p(\d+)\.html$/.exec(path);
    if (m) return send(200, 'text/html', page(`Core ${m[1]}`, `module core${m[1]}(input a, output y);\n  assign y = ~a;\nendmodule\n`));
    return send(404, 'text/plain', 'not found');
  });
}

test('crawl web --queue: 2 workers store what the in-process crawl stores, one host limit across them', async () => {
  const root = makeTempDir('incorpus-web-queue-');
  const site = await startSite(6);
  const args = (db: string): string[] => ['--db', db, 'crawl', 'web', '--sitemap', `${site.base}/sitemap.xml`, '--delay', '20', '--json'];
  try {
    await withCluster(2, {}, async (redis, workers) => {
      const ref = join(root, 'ref.db');
      const r0 = await runCliAsync(args(ref));
      assert.equal(r0.status, 0, r0.stderr);
      const from = site.hits.length;
      const db = join(root, 'queued.db');
      const r1 = await runCliAsync([...args(db), '--queue', redis.url, '--store', join(root, 'store')]);
      assert.equal(r1.status, 0, r1.stderr);
      assert.deepEqual(JSON.parse(r1.stdout), JSON.parse(r0.stdout), 'the queued crawl reported something else');
      assert.deepEqual(storedRows(db), storedRows(ref), 'the queued crawl stored something else than the in-process one');
      assert.ok(!site.hits.slice(from).some((h) => h.path.startsWith('/private/')), 'a disallowed page is never requested');
      // Crawl-delay 0.15 s across both workers and the coordinator: n requests span ≥ (n − 1) × 0.15 s,
      // less one late first arrival (as in tests/crawlers/web-crawl.test.ts); two independent limiters would give half.
      const after = site.hits.slice(from).filter((h) => h.path !== '/robots.txt');
      assert.ok(after.length >= 8, JSON.stringify(after));
      const span = after.at(-1)!.at - after[0]!.at;
      assert.ok(span >= (after.length - 1) * 150 - 100, `${after.length} requests in ${span} ms: not spaced by one crawl-delay across workers`);
      assert.ok(busy(workers) >= 2, `jobs ran on both workers: ${workers.map((w) => w.log()).join('\n')}`);
    });
  } finally {
    site.server.close();
  }
});

test('recall --queue: 2 workers leave the corpus as the in-process recall does (candidates, decisions, models, files)', async () => {
  const root = makeTempDir('incorpus-recall-queue-');
  const gh = await startFakeGitHub({ repos: UNIVERSE });
  const config = join(root, 'recall.json');
  writeFileSync(config, JSON.stringify(UNIVERSE_RECALL_CONFIG));
  const env = { GITHUB_TOKEN: 'ghp_QUEUETESTTOKENabcdefghijklmnopqrstuvwx' };
  const args = (db: string): string[] => ['--db', db, 'recall', '--config', config, '--api-url', gh.apiUrl, '--retry-unit', '2', '--search-interval', '0', '--json'];
  try {
    await withCluster(2, env, async (redis, workers) => {
      const ref = join(root, 'ref.db');
      const r0 = await runCliAsync(args(ref), env);
      assert.equal(r0.status, 0, r0.stderr);
      const from = gh.log.length;
      const db = join(root, 'queued.db');
      const r1 = await runCliAsync([...args(db), '--queue', redis.url, '--store', join(root, 'store'), '--request-interval', '5'], env);
      assert.equal(r1.status, 0, r1.stderr);
      type Report = { accepted: string[]; steps: unknown[]; models: unknown[] };
      const [a, b] = [JSON.parse(r0.stdout) as Report, JSON.parse(r1.stdout) as Report];
      assert.ok(a.accepted.length > 5, r0.stdout);
      assert.deepEqual([b.accepted, b.steps, b.models], [a.accepted, a.steps, a.models], 'the queued recall decided something else');
      assert.deepEqual(storedRows(db), storedRows(ref), 'the queued recall stored something else than the in-process one');
      assert.ok(busy(workers) >= 2, `jobs ran on both workers: ${workers.map((w) => w.log()).join('\n')}`);
      assert.ok(gh.log.slice(from).every((l) => l.auth === `token ${env.GITHUB_TOKEN}`));
    });
  } finally {
    await gh.close();
  }
});
