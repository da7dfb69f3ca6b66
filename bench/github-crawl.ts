/**
 * `npm run bench:github`: the GitHub crawler and recall against the tests' fake
 * GitHub on 127.0.0.1 (no internet here): API requests per ingested repository,
 * crawl throughput on repositories built from real files (yosys techlibs and
 * system headers), search slicing cost, rate limits survived, and recall
 * precision/recall per step on the labelled fixture universe. Prints a table
 * for the README.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCorpus } from '../corpus/db.js';
import { createGitHubClient } from '../crawlers/github/client.js';
import { crawlGithub } from '../crawlers/github/crawl-github.js';
import { searchRepos } from '../crawlers/github/search-repos.js';
import { DEFAULT_RECALL_CONFIG, type RecallConfig } from '../crawlers/recall/recall-config.js';
import { runRecall } from '../crawlers/recall/run-recall.js';
import { startFakeGitHub, type FakeRepo } from '../tests/crawlers/github-fake-server.js';
import { buildTarGz, repoTarEntries } from '../tests/crawlers/github-tarballs.js';
import { UNIVERSE, UNIVERSE_RECALL_CONFIG } from '../tests/crawlers/recall-universe.js';

const TREES = ['/usr/share/yosys', '/usr/include'];
const FILES_PER_REPO = 60;
const MAX_REPOS = 120;

/** Real text files, grouped into repositories of FILES_PER_REPO. */
function realRepos(): { repos: FakeRepo[]; files: number; bytes: number } {
  const files: Array<[string, Buffer]> = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (files.length >= FILES_PER_REPO * MAX_REPOS) return;
      const abs = join(dir, name);
      const st = statSync(abs, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(abs, `${rel}${name}/`);
      else if (st.isFile() && st.size < 512 * 1024 && /\.(v|sv|h|c|txt|lib|ys|tcl)$/.test(name)) files.push([`${rel}${name}`, readFileSync(abs)]);
    }
  };
  for (const t of TREES) if (existsSync(t)) walk(t, '');
  const repos: FakeRepo[] = [];
  for (let i = 0; i * FILES_PER_REPO < files.length; i++) {
    const chunk = files.slice(i * FILES_PER_REPO, (i + 1) * FILES_PER_REPO);
    repos.push({ full_name: `bench/r${i}`, language: 'Verilog', stars: i, files: Object.fromEntries(chunk) });
  }
  return { repos, files: files.length, bytes: files.reduce((s, [, b]) => s + b.length, 0) };
}

const fast = { token: 'ghp_bench', searchIntervalMs: 0, retryAfterBaseMs: 1 };
const row = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;

async function crawlBench(): Promise<string[]> {
  const { repos, files, bytes } = realRepos();
  // Archives are built before timing: the fake GitHub shares this process's one thread with the crawler.
  for (const r of repos) {
    const gz = await buildTarGz(repoTarEntries(r.full_name, '0'.repeat(40), r.files ?? {}));
    r.tarball = async () => gz;
  }
  const gh = await startFakeGitHub({ repos });
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-gh-'));
  const db = openCorpus(join(dir, 'bench.db'));
  const out: string[] = [];
  try {
    let t = performance.now();
    const cold = await crawlGithub(db, { query: 'language:verilog', apiUrl: gh.apiUrl, ...fast });
    const coldS = (performance.now() - t) / 1000;
    const n = cold.byStatus.ingested;
    out.push(row(['cold crawl', `${n} repos, ${files} files, ${(bytes / 1e6).toFixed(1)} MB`, (cold.requests.sent / n).toFixed(2), `${coldS.toFixed(2)} s`, `${(n / coldS).toFixed(1)} repos/s, ${(files / coldS).toFixed(0)} files/s, ${(bytes / 1e6 / coldS).toFixed(1)} MB/s`]));
    t = performance.now();
    const archives = gh.archives.length;
    const warm = await crawlGithub(db, { query: 'language:verilog', refresh: true, apiUrl: gh.apiUrl, ...fast });
    const warmS = (performance.now() - t) / 1000;
    out.push(row(['recrawl, nothing changed', `${warm.byStatus.unchanged} unchanged, ${gh.archives.length - archives} archives`, `${(warm.requests.sent / n).toFixed(2)} (${warm.requests.notModified} were 304)`, `${warmS.toFixed(2)} s`, `${(n / warmS).toFixed(1)} repos/s`]));
  } finally {
    db.close();
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function limitsBench(): Promise<string[]> {
  const repos: FakeRepo[] = Array.from({ length: 60 }, (_, i) => ({ full_name: `lim/r${i}`, language: 'Verilog', files: { 'a.v': `module a${i}; endmodule\n` } }));
  const gh = await startFakeGitHub({ repos, secondaryLimitEvery: 7, primaryLimitEvery: 11, serverErrorEvery: 13 });
  const db = openCorpus(join(mkdtempSync(join(tmpdir(), 'incorpus-bench-gh-')), 'b.db'));
  const r = await crawlGithub(db, { query: 'language:verilog', apiUrl: gh.apiUrl, ...fast });
  const faults = gh.log.filter((l) => l.status === 403 || l.status === 502).length;
  db.close();
  await gh.close();
  return [row(['rate limits + 502s injected', `${r.byStatus.ingested}/60 ingested, ${faults} faults`, (r.requests.sent / 60).toFixed(2), `${r.requests.rateLimitWaits} waits`, `${r.requests.failed} failed requests`])];
}

async function sliceBench(): Promise<string> {
  const repos: FakeRepo[] = Array.from({ length: 5000 }, (_, i) => ({ full_name: `s/r${i}`, language: 'VHDL', size: i % 900, created_at: new Date(Date.UTC(2010, 0, 1) + (i % 3000) * 86_400_000).toISOString() }));
  const gh = await startFakeGitHub({ repos });
  const db = openCorpus(join(mkdtempSync(join(tmpdir(), 'incorpus-bench-gh-')), 'b.db'));
  const client = await createGitHubClient(db, { apiUrl: gh.apiUrl, ...fast });
  const r = await searchRepos(db, client, { query: 'language:vhdl', job: 'bench' });
  db.close();
  await gh.close();
  return `search slicing: ${r.queued} of 5,000 results reached (cap 1,000 per query) with ${client.stats.sent} search requests (${r.windowsSplit} windows split, ${r.windowsDone} drained; 100 per page)`;
}

async function recallBench(): Promise<string[]> {
  const gh = await startFakeGitHub({ repos: UNIVERSE });
  const db = openCorpus(join(mkdtempSync(join(tmpdir(), 'incorpus-bench-gh-')), 'b.db'));
  const d = DEFAULT_RECALL_CONFIG;
  const u = UNIVERSE_RECALL_CONFIG;
  const config: RecallConfig = { rule: { ...d.rule, ...u.rule }, classifier: { ...d.classifier, ...u.classifier }, expansion: { ...d.expansion, ...u.expansion } };
  const rep = await runRecall(db, { config, apiUrl: gh.apiUrl, ...fast, rounds: 3 });
  db.close();
  await gh.close();
  const industrial = new Set(UNIVERSE.filter((r) => r.industrial).map((r) => r.full_name));
  const lines = [`recall on the fixture universe (${UNIVERSE.length} repositories, ${industrial.size} industrial):`, '', row(['after step', 'accepted', 'precision', 'recall']), row(['---', '---', '---', '---'])];
  for (const s of rep.steps) {
    const tp = s.accepted.filter((r) => industrial.has(r)).length;
    lines.push(row([s.step === 'expansion' ? `expansion round ${s.round}` : s.step, s.accepted.length, (s.accepted.length ? tp / s.accepted.length : 1).toFixed(2), (tp / industrial.size).toFixed(2)]));
  }
  lines.push('');
  for (const m of rep.models) lines.push(`classifier after ${m.afterStep}: held-out precision ${m.precision?.toFixed(2)}, recall ${m.recall?.toFixed(2)} (${m.trainSize} train / ${m.testSize} test files)`);
  lines.push(`${rep.requests.sent} API requests for the whole recall (${rep.requests.notModified} answered 304)`);
  return lines;
}

async function main(): Promise<void> {
  console.log('incorpus bench: GitHub crawler against the local fake GitHub (127.0.0.1)\n');
  console.log(row(['run', 'what', 'API requests / repo', 'time', 'throughput']));
  console.log(row(['---', '---', '---', '---', '---']));
  for (const l of [...(await crawlBench()), ...(await limitsBench())]) console.log(l);
  console.log(`\n${await sliceBench()}\n`);
  for (const l of await recallBench()) console.log(l);
}

await main();
