/**
 * `npm run bench:faults:kill`: the SIGKILL fault campaign of issue 12. 50 kills
 * (10 per command) at uniform random points of `crawl dir`, `crawl git` (a local
 * repository built from the material), `crawl github` (the local fake GitHub of
 * tests/crawlers), `rebuild` and `export`, each followed by a rerun to
 * completion. Counts corrupt databases (integrity_check, foreign keys,
 * migrations), lost / duplicated / differing documents against an
 * uninterrupted run, and export directories whose byte hashes differ. All must
 * be 0; the process exits 1 otherwise.
 *
 * Env: FAULTS_KILLS (total, default 50), FAULTS_MATERIAL (colon-separated
 * directories, default /usr/share/yosys:/usr/include/newlib), FAULTS_VERIFY=1
 * (rebuild with the toolchains; off by default: minutes per rebuild),
 * FAULTS_SEED (default "faults").
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type Scenario, type ScenarioFigures } from '../tests/faults/kill-campaign.js';
import { crawlDirScenario, crawlGitScenario, crawlGithubScenario, DEFAULT_MATERIAL, exportScenario, rebuildScenario } from '../tests/faults/kill-scenarios.js';

const total = Number(process.env.FAULTS_KILLS ?? 50);
const material = (process.env.FAULTS_MATERIAL?.split(':') ?? DEFAULT_MATERIAL).filter((m) => m);
const verify = process.env.FAULTS_VERIFY === '1';
const seed = process.env.FAULTS_SEED ?? 'faults';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
};
const sec = (ms: number): string => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const missing = material.filter((m) => !existsSync(m));
  if (missing.length > 0) throw new Error(`material missing: ${missing.join(', ')} (bash scripts/setup.sh installs yosys and libnewlib-dev)`);
  const root = mkdtempSync(join(tmpdir(), 'incorpus-faults-'));
  const github = crawlGithubScenario(material);
  const scenarios: Scenario[] = [crawlDirScenario(material), crawlGitScenario(material), github, rebuildScenario(material, verify), exportScenario(material)];
  const per = scenarios.map((_, i) => Math.floor(total / scenarios.length) + (i < total % scenarios.length ? 1 : 0));
  console.log(`incorpus bench: SIGKILL fault campaign, ${total} kills on ${material.join(', ')}${verify ? '' : ' (rebuild --no-verify; FAULTS_VERIFY=1 adds the toolchains)'}, seed ${seed}`);
  const figures: ScenarioFigures[] = [];
  try {
    for (const [i, s] of scenarios.entries()) figures.push(await runScenario(s, per[i]!, root, seed, (l) => console.error(l)));
  } finally {
    await github.close();
    rmSync(root, { recursive: true, force: true });
  }
  console.log('| command | kills | mid-work | corrupt DBs | lost docs | duplicated docs | differing docs | differing exports | after-kill problems | uninterrupted s | resume s (median / max) | leftover temp entries |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const f of figures) {
    console.log(
      `| ${f.command} | ${f.kills} | ${f.midWork} | ${f.corrupt} | ${f.lost} | ${f.duplicated} | ${f.differing} | ${f.command === 'export' ? f.differingExports : '—'} | ${f.afterKill} | ${sec(f.referenceMs)} | ${sec(median(f.resumeMs))} / ${sec(Math.max(0, ...f.resumeMs))} | ${f.leftoverTemp} |`,
    );
  }
  const sum = (k: keyof ScenarioFigures): number => figures.reduce((n, f) => n + (f[k] as number), 0);
  const bad = sum('corrupt') + sum('lost') + sum('duplicated') + sum('differing') + sum('differingExports') + sum('afterKill');
  console.log(`total: ${sum('kills')} kills (${sum('midWork')} mid-work, ${sum('finishedFirst')} redrawn because the command finished first); corrupt ${sum('corrupt')}, lost ${sum('lost')}, duplicated ${sum('duplicated')}, differing ${sum('differing')}, differing exports ${sum('differingExports')} — target 0`);
  for (const f of figures) for (const p of f.problems) console.log(`  ${f.command}: ${p}`);
  if (bad > 0) process.exitCode = 1;
}

await main();
