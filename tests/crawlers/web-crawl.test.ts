import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractCodeBlocks } from '../../crawlers/web/extract-code-blocks.js';
import { parseSitemap } from '../../crawlers/web/sitemap.js';
import { makeTempDir, startCli, type CliResult } from '../helpers.js';
import { makeListingPdf, realVerilog } from '../ocr/pdf-fixtures.js';
import { startLocalSite, type LocalSite } from './local-site.js';

const FIFO_PAGE = `<!doctype html><html><head><title>Synchronous FIFO</title><script>var x = "<pre>not code</pre>";</script></head><body>
<h2>A synchronous FIFO</h2>
<p>Use <code>clk</code> for the clock. The RTL:</p>
<pre><code class="language-verilog">module fifo #(parameter W = 8) (input clk, input [W-1:0] d, output reg [W-1:0] q);
\talways @(posedge clk)
\t\tif (d &lt; 8'hff &amp;&amp; 1) q &lt;= d;
endmodule
</code></pre>
<h3>Driver</h3>
<div class="highlight-c notranslate"><div class="highlight"><pre><span class="kt">int</span> main(void) {
    return fifo_init();
}
</pre></div></div>
</body></html>`;

const KERNEL_PAGE = `<html><head><title>SAXPY</title></head><body><p>The kernel:</p>
<pre class="lang-cuda">__global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i &lt; n) y[i] = a * x[i] + y[i];
}</pre></body></html>`;

type Site = LocalSite;

/** A local site with robots.txt, a sitemap index, pages, a 404 and a disallowed area; bounded to 127.0.0.1. */
async function startSite(robots: { status: number; body: string }): Promise<Site> {
  return startLocalSite((path, send, base) => {
    if (path === '/robots.txt') return send(robots.status, 'text/plain', robots.body);
    if (path === '/sitemap.xml') return send(200, 'application/xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/sitemap-docs.xml</loc></sitemap></sitemapindex>`);
    if (path === '/sitemap-docs.xml') {
      const locs = ['/docs/fifo.html', '/docs/kernel.html', '/private/secret.html', '/docs/missing.html'].map((p) => `<url><loc>${base}${p}</loc></url>`);
      return send(200, 'application/xml', `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.join('')}</urlset>`);
    }
    if (path === '/docs/fifo.html') return send(200, 'text/html; charset=utf-8', FIFO_PAGE);
    if (path === '/docs/kernel.html') return send(200, 'text/html', KERNEL_PAGE);
    if (path === '/private/secret.html') return send(200, 'text/html', '<pre>secret</pre>');
    if (path === '/papers/adff2dff.pdf') return send(200, 'application/pdf', makeListingPdf({ lines: realVerilog('/usr/share/yosys/adff2dff.v'), caption: 'Listing 1: adff2dff.v' }));
    return send(404, 'text/plain', 'not found');
  });
}

/** The CLI in a child process, awaited without blocking this process's HTTP server. */
function cli(args: string[]): Promise<CliResult> {
  const child = startCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (status) => (clearTimeout(killer), resolve({ status, stdout, stderr }))));
}

test('crawl web --sitemap: robots.txt honoured, requests spaced, <pre>/<code> blocks stored with language hints', async () => {
  const site = await startSite({ status: 200, body: 'User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n' });
  try {
    const tmp = makeTempDir();
    const db = join(tmp, 'c.db');
    const r = await cli(['--db', db, 'crawl', 'web', '--sitemap', `${site.base}/sitemap.xml`, '--delay', '50', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(r.stdout) as Array<{ uri: string; status: string; reason: string | null; repo: string | null; snippets: number }>;
    const by = (p: string) => results.find((x) => x.uri.endsWith(p))!;
    assert.equal(by('/docs/fifo.html').snippets, 2);
    assert.equal(by('/docs/kernel.html').snippets, 1);
    assert.deepEqual([by('/private/secret.html').status, by('/private/secret.html').reason], ['failed', 'disallowed by robots.txt']);
    assert.deepEqual([by('/docs/missing.html').status, by('/docs/missing.html').reason], ['failed', 'HTTP 404']);
    assert.ok(!site.hits.some((h) => h.path.startsWith('/private/')), 'a disallowed page is never requested');
    // Crawl-delay 0.2 s beats --delay 50 ms: consecutive requests after robots.txt start ≥ 0.2 s apart (checked as a loose lower bound: server-side arrival jitters).
    const after = site.hits.filter((h) => h.path !== '/robots.txt');
    // One arrival can be late and the next on time, so a single gap may shrink under load; the span cannot:
    // n requests 0.2 s apart take ≥ (n − 1) × 0.2 s from first to last, less one late first arrival (100 ms allowed); --delay 50 ms alone would give 0.05 s each.
    assert.ok(after.length >= 3, JSON.stringify(after));
    const span = after[after.length - 1]!.at - after[0]!.at;
    assert.ok(span >= (after.length - 1) * 200 - 100, `requests not spaced by the crawl-delay: ${span} ms for ${after.length} requests: ${JSON.stringify(after)}`);
    // No per-gap bound: under load a late arrival followed by an on-time one makes one gap short (seen once at load 10); the span above is the contract.

    const repo = by('/docs/fifo.html').repo!;
    const verilog = await cli(['--db', db, 'why', `${repo}:block-01.v`]);
    assert.equal(verilog.status, 0, verilog.stderr);
    assert.match(verilog.stdout, /extracted: http:\/\/127\.0\.0\.1:\d+\/docs\/fifo\.html \(html\), caption "A synchronous FIFO"; verilog, validity 1/);
    assert.equal((await cli(['--db', db, 'why', `${repo}:block-02.c`])).status, 0, 'the Sphinx block is C by its wrapper class');
    assert.equal((await cli(['--db', db, 'why', `${by('/docs/kernel.html').repo}:block-01.cu`])).status, 0);
  } finally {
    site.server.close();
  }
});

test('crawl web --urls: an unreachable robots.txt (5xx) disallows the whole host (RFC 9309)', async () => {
  const site = await startSite({ status: 503, body: 'busy' });
  try {
    const tmp = makeTempDir();
    const list = join(tmp, 'urls.txt');
    writeFileSync(list, `# pages to crawl\n${site.base}/docs/fifo.html\n${site.base}/docs/kernel.html\n`);
    const r = await cli(['--db', join(tmp, 'c.db'), 'crawl', 'web', '--urls', list, '--delay', '0']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /FAILED .*fifo\.html: disallowed by robots\.txt/);
    assert.deepEqual(site.hits.map((h) => h.path), ['/robots.txt']);
  } finally {
    site.server.close();
  }
});

test('crawl pdf <URL>: a PDF served over HTTP is downloaded and extracted like a local one', async () => {
  const site = await startSite({ status: 200, body: '' });
  try {
    const tmp = makeTempDir();
    const r = await cli(['--db', join(tmp, 'c.db'), 'crawl', 'pdf', `${site.base}/papers/adff2dff.pdf`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /crawled pdf\/adff2dff: 1 snippets \(1 text-layer pages, 0 OCR pages\)/);
    const why = await cli(['--db', join(tmp, 'c.db'), 'why', 'pdf/adff2dff:p0001-listing-01.v']);
    assert.match(why.stdout, /extracted: page 1 of http:\/\/127\.0\.0\.1:\d+\/papers\/adff2dff\.pdf \(text-layer/);
  } finally {
    site.server.close();
  }
});

test('extractCodeBlocks: entities decoded, tabs kept, inline code and scripts ignored, class hints read', () => {
  const page = extractCodeBlocks(FIFO_PAGE);
  assert.equal(page.title, 'Synchronous FIFO');
  assert.equal(page.blocks.length, 2);
  assert.equal(page.blocks[0]!.language, 'verilog');
  assert.match(page.blocks[0]!.text, /\t\tif \(d < 8'hff && 1\) q <= d;/);
  assert.equal(page.blocks[0]!.caption, 'A synchronous FIFO');
  assert.equal(page.blocks[0]!.context, 'Use clk for the clock. The RTL:');
  assert.equal(page.blocks[1]!.language, 'c');
  assert.match(page.blocks[1]!.text, /^int main\(void\) \{\n {4}return/);
  assert.deepEqual(parseSitemap('<urlset><url><loc> http://a/x </loc></url></urlset>'), { urls: ['http://a/x'], sitemaps: [] });
});
