import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { openCorpus } from '../../corpus/db.js';
import { getCorpusStats } from '../../corpus/inspect.js';
import { getClusterSizes, getKeptGroups, getVerdictGroups } from '../../corpus/report-aggregates.js';
import { collectReportFacts } from '../../corpus/report-facts.js';
import { sampleDrops } from '../../corpus/report-samples.js';
import { writeReport } from '../../report/write-report.js';
import { makeTempDir, runCli, writeSampleRepo, writeTree } from '../helpers.js';

/**
 * The page as a file: what it contains, that it never reaches out, that
 * crawled strings cannot break out of it, and that its numbers are the
 * store's numbers. (tests/report/report-browser.test.ts looks at it in Chromium.)
 */

const HOSTILE_REPO = '<img src=x onerror=alert(1)>';
const HOSTILE_FILE = 'rtl/<script>alert(1)<\/script>.v';
let db: string;
let exportDir: string;

before(() => {
  const dir = makeTempDir('incorpus-report-page-');
  db = join(dir, 'c.db');
  const a = writeSampleRepo(join(dir, 'a'));
  const b = writeSampleRepo(join(dir, 'b'), ' fork');
  writeTree(b, { [HOSTILE_FILE]: 'module evil (input a, output y);\n  assign y = ~a; // "quoted" & <tagged>\nendmodule\n' });
  for (const [path, repo] of [[a, 'acme/cores'], [b, HOSTILE_REPO]] as const) assert.equal(runCli(['--db', db, 'crawl', 'dir', path, '--repo', repo]).status, 0);
  // The sample repositories carry no license file: keep them, ranked below licensed copies (the default drops them).
  const config = join(dir, 'rebuild.json');
  writeFileSync(config, JSON.stringify({ license: { noLicense: 'keep' } }));
  assert.equal(runCli(['--db', db, 'rebuild', '--no-verify', '--config', config]).status, 0);
  exportDir = join(dir, 'export');
  assert.equal(runCli(['--db', db, 'export', '--out', exportDir]).status, 0);
});

test('the page is self-contained: no script, no URL to fetch, a CSP that forbids fetching', () => {
  const html = readFileSync(join(exportDir, 'index.html'), 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  // What a browser would see: every tag and attribute, read by an HTML parser (escaped crawled text stays text).
  const tags = new Set<string>();
  const loads: string[] = [];
  new Parser({
    onopentag(name, attrs) {
      tags.add(name);
      for (const [k, v] of Object.entries(attrs)) {
        if (['src', 'srcset', 'action', 'xlink:href', 'poster', 'data'].includes(k) || (k === 'href' && !v.startsWith('#')) || /url\(/.test(k === 'style' ? v : '')) loads.push(`<${name} ${k}="${v}">`);
      }
    },
  }).end(html);
  for (const t of ['script', 'img', 'link', 'iframe', 'object', 'embed', 'image', 'use', 'foreignobject']) assert.ok(!tags.has(t), `no <${t}>`);
  assert.deepEqual(loads, [], 'no attribute that loads anything');
  // The only absolute URLs are SVG's namespace names, which no browser fetches.
  const urls = new Set(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []);
  assert.deepEqual([...urls].filter((u) => !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/.test(u)), []);
  assert.ok((html.match(/<svg/g) ?? []).length >= 10, 'charts are inline SVG');
});

test('crawled repository names and paths are escaped everywhere, in tables and in charts', () => {
  const html = readFileSync(join(exportDir, 'index.html'), 'utf8');
  assert.ok(!html.includes(HOSTILE_REPO) && !html.includes('<script>alert'), 'no raw crawled markup');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the hostile repository name is shown, escaped');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;.v'), 'the hostile path is shown, escaped');
});

test('the numbers are the store\'s: verdict groups add up to the generation, drop reasons match stats', () => {
  const c = openCorpus(db, { readonly: true });
  try {
    const stats = getCorpusStats(c).generation!;
    const facts = collectReportFacts(c, stats.id);
    assert.equal(facts.rows, stats.seen);
    const groups = getVerdictGroups(facts);
    assert.equal(groups.reduce((n, g) => n + g.files, 0), stats.seen);
    const dropped: Record<string, number> = {};
    for (const g of groups.filter((x) => x.verdict === 'drop')) dropped[`${g.stage}/${g.reason}`] = (dropped[`${g.stage}/${g.reason}`] ?? 0) + g.files;
    assert.deepEqual(dropped, stats.droppedBy);
    const kept = getKeptGroups(facts);
    assert.equal(kept.reduce((n, g) => n + g.files, 0), stats.kept);
    const byLang: Record<string, number> = {};
    for (const g of kept) byLang[g.lang] = (byLang[g.lang] ?? 0) + g.files;
    assert.deepEqual(byLang, stats.keptBy.lang);
    // Every file dropped as a duplicate belongs to exactly one cluster of its stage (kept copy + drops).
    const { sizes } = getClusterSizes(facts, 5);
    const dupDrops = Object.entries(stats.droppedBy).filter(([k]) => /duplicate/.test(k)).reduce((n, [, v]) => n + v, 0);
    assert.ok(dupDrops > 0, 'the fixture has duplicates');
    assert.equal(sizes.reduce((n, s) => n + s.clusters * (s.size - 1), 0), dupDrops);
    // Samples are bounded per reason and ordered by document id.
    const one = sampleDrops(facts, 1);
    assert.equal(one.length, new Set(groups.filter((g) => g.verdict === 'drop').map((g) => `${g.stage}/${g.reason}`)).size);
    facts.close();
    assert.equal(c.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'report_facts'").pluck().get(), 0, 'the temporary table is gone');
  } finally {
    c.close();
  }
});

test('a report is byte-identical when written again, and the export\'s report shows the export', async () => {
  const c = openCorpus(db, { readonly: true });
  const out = makeTempDir('incorpus-report-twice-');
  try {
    await writeReport(c, { outDir: out });
    const first = readFileSync(join(out, 'index.html'));
    await writeReport(c, { outDir: out });
    assert.ok(first.equals(readFileSync(join(out, 'index.html'))), 'same corpus, same bytes');
    assert.match(first.toString(), /No export shown/);
  } finally {
    c.close();
  }
  const html = readFileSync(join(exportDir, 'index.html'), 'utf8');
  assert.match(html, /train-00000\.jsonl/);
  assert.match(html, /Read from manifest\.json in this directory\./);
});

test('report CLI: --export, the export directory itself, refusals with exit codes', () => {
  const out = makeTempDir('incorpus-report-cli-');
  const r = runCli(['--db', db, 'report', '--out', out, '--export', exportDir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /report of generation 1: .*index\.html \(\d+ charts/);
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /train-00000\.jsonl/);
  // Into the export directory: it finds the manifest there.
  const inside = runCli(['--db', db, 'report', '--out', exportDir, '--json']);
  assert.equal(inside.status, 0, inside.stderr);
  assert.ok(JSON.parse(inside.stdout).charts >= 10);

  assert.equal(runCli(['--db', db, 'report']).status, 2, '--out is required');
  const noManifest = runCli(['--db', db, 'report', '--out', out, '--export', makeTempDir()]);
  assert.equal(noManifest.status, 1);
  assert.match(noManifest.stderr, /holds no manifest\.json/);
  const bad = makeTempDir();
  writeFileSync(join(bad, 'manifest.json'), JSON.stringify({ generation: 1, records: 1, bytes: 1, fim: {}, fimSpans: {}, config: {}, files: [{ name: 'x' }] }));
  const badRun = runCli(['--db', db, 'report', '--out', out, '--export', bad]);
  assert.equal(badRun.status, 1);
  assert.match(badRun.stderr, /not an incorpus export manifest \(a "files" entry lacks/);
  const foreign = makeTempDir();
  writeFileSync(join(foreign, 'index.html'), '<h1>my site</h1>');
  const refused = runCli(['--db', db, 'report', '--out', foreign]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /index\.html exists and is not an incorpus report/);
  assert.equal(readFileSync(join(foreign, 'index.html'), 'utf8'), '<h1>my site</h1>');
  const empty = makeTempDir();
  const noGen = runCli(['--db', join(empty, 'new.db'), 'report', '--out', empty]);
  assert.equal(noGen.status, 1, 'no corpus database');
});

test('--samples bounds the lists (0: none, and no links to them); export --no-report writes no page', () => {
  const out = makeTempDir('incorpus-report-samples-');
  assert.equal(runCli(['--db', db, 'report', '--out', out, '--samples', '1']).status, 0);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const lists = [...html.matchAll(/<div class="sample" id="[^"]+"><h3>.*?<\/h3><ol>(.*?)<\/ol>/g)].map((m) => (m[1]!.match(/<li>/g) ?? []).length);
  assert.ok(lists.length > 0 && lists.every((n) => n === 1), `one file per group: ${lists.join(',')}`);
  assert.equal(runCli(['--db', db, 'report', '--out', out, '--samples', '0']).status, 0);
  const none = readFileSync(join(out, 'index.html'), 'utf8');
  assert.doesNotMatch(none, /class="sample"/);
  assert.doesNotMatch(none, /href="#s-/);
  const plain = makeTempDir('incorpus-export-noreport-');
  assert.equal(runCli(['--db', db, 'export', '--out', plain, '--no-report']).status, 0);
  assert.ok(existsSync(join(plain, 'manifest.json')) && !existsSync(join(plain, 'index.html')));
});
