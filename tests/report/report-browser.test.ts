import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir, runCli } from '../helpers.js';
import { brokenAnchors, openInChromium, readCharts, saveScreenshot, type ChartView } from './chromium.js';
import { buildRealCorpus } from './real-corpus.js';

/**
 * The report as a person sees it: rendered by headless Chromium (Debian's
 * package, JavaScript off, network refused), screenshotted into
 * test-artifacts/report/, and checked on what the browser lays out.
 */

const COMMON_FIGURES = [
  'fig-funnel', 'fig-drop-reasons', 'fig-domain-loss', 'fig-mix-files', 'fig-mix-bytes', 'fig-licenses', 'fig-license-status',
  'fig-cluster-sizes', 'fig-largest-clusters', 'fig-verify-status-lang', 'fig-verify-rate-lang', 'fig-verify-status-domain',
  'fig-verify-rate-domain', 'fig-verify-transitions', 'fig-shards', 'fig-fim',
];

interface Expect {
  figures: string[];
}

/** Opens a report, screenshots it at laptop sizes, and asserts on what the browser shows. */
async function checkInBrowser(file: string, name: string, expect: Expect): Promise<ChartView[]> {
  const html = readFileSync(file, 'utf8');
  const wide = await openInChromium(file, { width: 1440, height: 900 });
  let charts: ChartView[];
  try {
    charts = await readCharts(wide.page);
    await saveScreenshot(wide.page, `${name}-1440.png`);
    assert.deepEqual(wide.errors, [], 'no console or page errors');
    assert.deepEqual(wide.requests, [pathToFileURL(file).href], 'the page loads nothing but itself');
    assert.deepEqual(await brokenAnchors(wide.page), [], 'every in-page link has a target');
  } finally {
    await wide.close();
  }
  assert.equal(charts.length, (html.match(/<div class="chart" role="img"/g) ?? []).length, 'every chart in the file is drawn');
  assert.deepEqual(charts.map((c) => c.figure).sort(), [...expect.figures].sort(), 'the charts the corpus has data for');
  for (const c of charts) {
    assert.ok(c.width >= 200 && c.height >= 40, `${c.figure}: a plot area of ${c.width}×${c.height}`);
    assert.ok(c.marksWithArea > 0, `${c.figure}: bars with a non-zero box (${c.marks} marks)`);
    assert.equal(c.marksInside, c.marksWithArea, `${c.figure}: every bar lies inside its chart`);
    assert.ok(c.tableRows > 0, `${c.figure}: its numbers in a table beside it`);
  }
  const reasons = charts.find((c) => c.figure === 'fig-drop-reasons')!;
  assert.equal(reasons.marksWithArea, reasons.tableRows, 'one bar per drop reason in the table');

  // A 1366-pixel laptop screen: nothing wider than the window, and the first screen as an artifact.
  const laptop = await openInChromium(file, { width: 1366, height: 768 });
  try {
    const width = await laptop.page.evaluate('document.documentElement.scrollWidth') as number;
    assert.ok(width <= 1366, `no horizontal scrolling at 1366 px (page is ${width} px wide)`);
    await saveScreenshot(laptop.page, `${name}-1366-first-screen.png`, false);
  } finally {
    await laptop.close();
  }
  return charts;
}

test('the demo export writes a report that Chromium draws with every chart, offline', async () => {
  const cwd = makeTempDir('incorpus-report-demo-');
  const r = runCli(['demo', '--out', 'out'], { cwd });
  assert.equal(r.status, 0, r.stderr);
  const file = join(cwd, 'out', 'index.html');
  assert.ok(existsSync(file), 'export writes index.html next to the dataset card');
  await checkInBrowser(file, 'demo', { figures: [...COMMON_FIGURES, 'fig-families'] });
});

let real: { db: string; exportDir: string; dir: string };
before(() => {
  const dir = makeTempDir('incorpus-report-real-');
  real = { ...buildRealCorpus(dir), dir };
});

test('a real-source corpus (yosys, newlib, verilator: code, a PDF and a scanned page) renders every section', async () => {
  const out = join(real.dir, 'report');
  const r = runCli(['--db', real.db, 'report', '--out', out, '--export', real.exportDir, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { charts: number; path: string };
  const charts = await checkInBrowser(summary.path, 'real', {
    figures: [...COMMON_FIGURES, 'fig-pii', 'fig-literature-source', 'fig-literature-docs'],
  });
  assert.equal(summary.charts, charts.length);
  const html = readFileSync(summary.path, 'utf8');
  // Both reading methods of the literature crawler, and more than one verification outcome, as recorded.
  const methods = [...(html.match(/id="fig-literature-source".*?<\/table>/s)?.[0] ?? '').matchAll(/<tr><td>pdf<\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]!);
  assert.equal(methods.length, 2, `text layer and OCR rows: ${methods.join(', ')}`);
  assert.ok(methods.some((m) => /ocr/i.test(m)) && methods.some((m) => /text/i.test(m)), methods.join(', '));
  const statuses = new Set([...html.matchAll(/href="#s-verify-([a-z0-9-]+)"/g)].map((m) => m[1]));
  assert.ok(statuses.size >= 2, `verification statuses shown: ${[...statuses].join(', ')}`);
  // The export's own report is the same page, but for where the manifest was read from.
  const own = readFileSync(join(real.exportDir, 'index.html'), 'utf8');
  assert.equal(own.replace(/Read from [^<]*<\/p>/, ''), html.replace(/Read from [^<]*<\/p>/, ''));
});
