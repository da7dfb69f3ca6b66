import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers.js';
import { scanPdf, verilatorManual, yosysManual } from '../ocr/pdf-fixtures.js';

/** Real trees nobody here wrote, from Debian packages scripts/setup.sh installs. */
export const REAL_TREES = [
  { path: '/usr/share/yosys', repo: 'debian/yosys', pkg: 'yosys' },
  { path: '/usr/include/newlib', repo: 'debian/newlib', pkg: 'libnewlib-dev' },
  { path: '/usr/share/verilator/examples', repo: 'debian/verilator-examples', pkg: 'verilator' },
];

/** A page of the Yosys manual whose scanned listing OCR reads (tests/ocr/ocr-scanned.test.ts uses it too). */
const SCANNED_PAGE = 23;

/**
 * Crawls the real trees, verilator.pdf (text layer) and one scanned page of the
 * Yosys manual (OCR), rebuilds with verification (synthesis off: the report shows compile
 * status, and synthesis would triple the time) and exports into `exportDir`.
 */
export function buildRealCorpus(dir: string): { db: string; exportDir: string } {
  const db = join(dir, 'real.db');
  const run = (args: string[]): string => {
    const r = runCli(['--db', db, ...args]);
    assert.equal(r.status, 0, `incorpus ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  for (const t of REAL_TREES) {
    assert.ok(existsSync(t.path), `${t.path} is missing: install the Debian package ${t.pkg} (bash scripts/setup.sh)`);
    run(['crawl', 'dir', t.path, '--repo', t.repo]);
  }
  // The first 60 pages: ~50 listings are plenty for the chart, and each would be compiled.
  run(['crawl', 'pdf', verilatorManual(), '--ocr', 'off', '--max-pages', '60']);
  const scanned = scanPdf(yosysManual(), join(dir, 'yosys-manual-scanned.pdf'), { first: SCANNED_PAGE, last: SCANNED_PAGE, dpi: 200 }, dir);
  run(['crawl', 'pdf', scanned, '--ocr-workers', '1']);
  const config = join(dir, 'rebuild.json');
  // The Debian trees mostly carry no license file: keep them (the default policy drops unlicensed files).
  writeFileSync(config, JSON.stringify({ verify: { synth: false }, license: { noLicense: 'keep', unknown: 'keep' } }));
  run(['rebuild', '--config', config]);
  const exportDir = join(dir, 'export');
  run(['export', '--out', exportDir]);
  return { db, exportDir };
}
