import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { makeTempDir, REPO_ROOT } from '../helpers.js';

/** The page's DOM, for the functions that run inside Chromium (this project compiles without the DOM library). */
declare const document: any;

/** Debian's chromium (scripts/setup.sh installs it); never a downloaded browser build. */
export const CHROMIUM = process.env.INCORPUS_CHROMIUM || '/usr/bin/chromium';

/** Where the screenshots stay after a run (git-ignored; CI finds them in the clone's test-artifacts/report/). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'report');

/**
 * Flags that keep Chromium from calling home on this closed network (it would
 * log errors and stall otherwise), plus a fresh profile per launch.
 */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OpenedPage {
  page: Page;
  /** Every request the page made (the page's own file:// URL included). */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Opens a local HTML file in headless Chromium with JavaScript off (the report
 * must read without it), recording every request — non-file requests are
 * aborted as well as recorded, so a leak fails the test instead of waiting on
 * the network.
 */
export async function openInChromium(file: string, viewport: { width: number; height: number }): Promise<OpenedPage> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install the Debian package chromium (bash scripts/setup.sh installs it)`);
  const { chromium } = await import('playwright-core');
  const context: BrowserContext = await chromium.launchPersistentContext(makeTempDir('incorpus-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    javaScriptEnabled: false,
    viewport,
    offline: true,
  });
  const requests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith('file:') ? route.continue() : route.abort();
  });
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, errors, close: () => context.close() };
}

/** Saves a full-page screenshot under test-artifacts/report/ and returns its path. */
export async function saveScreenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage });
  return path;
}

/** What the browser shows of each chart: its figure id, its size, and how many bar marks have area. */
export interface ChartView {
  figure: string;
  width: number;
  height: number;
  marks: number;
  marksWithArea: number;
  /** Marks with area that lie inside the chart's SVG box. */
  marksInside: number;
  tableRows: number;
}

export async function readCharts(page: Page): Promise<ChartView[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure')].flatMap((fig: any): ChartView[] => {
      const svg = fig.querySelector('.chart svg');
      if (!svg) return [];
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('g.mark-rect path')].map((p: any) => p.getBoundingClientRect() as { width: number; height: number; left: number; right: number; top: number; bottom: number });
      const withArea = marks.filter((r) => r.width > 0.5 && r.height > 0.5);
      const inside = withArea.filter((r) => r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1);
      return [{
        figure: fig.id, width: box.width, height: box.height, marks: marks.length, marksWithArea: withArea.length,
        marksInside: inside.length, tableRows: fig.querySelectorAll('.numbers tbody tr').length,
      }];
    }),
  );
}

/** In-page links (#id) whose target is missing. */
export async function brokenAnchors(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('a[href^="#"]')].map((a: any) => String(a.getAttribute('href'))).filter((h: string) => !document.getElementById(h.slice(1))));
}
