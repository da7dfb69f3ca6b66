import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { openCorpus } from '../../corpus/db.js';
import { MIGRATIONS } from '../../corpus/migrations.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../crawlers/github-fake-server.js';
import type { Scenario } from './kill-campaign.js';

/** Real material nobody here wrote (Debian packages yosys and libnewlib-dev). */
export const DEFAULT_MATERIAL = ['/usr/share/yosys', '/usr/include/newlib'];

/**
 * The policy the rebuild scenarios use: the real trees are mostly unlicensed,
 * and the campaign wants every stage (dedup, PII, normalize, annotate) busy.
 */
const KEEP_ALL = { license: { noLicense: 'keep', unknown: 'keep' } };

const query = <T>(db: string, sql: string, ...args: unknown[]): T[] => {
  if (!existsSync(db)) return [];
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } catch (err) {
    // Killed before the migration that creates the table committed: the file holds no schema, or an empty
    // `migrations` table (it is created before the first migration's transaction), or a prefix of them.
    // The next run completes it; a table missing once every migration has run is a real fault.
    if (/no such table/.test((err as Error).message) && !allMigrationsApplied(d)) return [];
    throw err;
  } finally {
    d.close();
  }
};

function allMigrationsApplied(d: Database.Database): boolean {
  const hasTable = (d.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").pluck().get() as number) > 0;
  if (!hasTable) return false;
  const applied = new Set(d.prepare('SELECT name FROM migrations').pluck().all() as string[]);
  return MIGRATIONS.every((m) => applied.has(m.name));
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Current files as documents: key repo:path, value status + sha256 + whether the stored blob really holds those bytes. */
function crawledFiles(db: string): Array<[string, string]> {
  const rows = query<{ k: string; status: string; sha256: string | null; data: Buffer | null }>(
    db,
    `SELECT r.name || ':' || f.path AS k, f.status, f.sha256, b.data FROM files f JOIN repos r ON r.id = f.repo_id
     LEFT JOIN blobs b ON b.sha256 = f.sha256 WHERE f.current = 1 ORDER BY f.id`,
  );
  return rows.map((r) => [r.k, `${r.status}:${r.sha256}:${r.sha256 === null || (r.data !== null && sha(inflateRawSync(r.data)) === r.sha256)}`]);
}

const crawlRunning = (db: string): boolean => query(db, "SELECT 1 FROM crawls WHERE status = 'running'").length > 0;

/** Copies the material under `dir/material/<name>` (once per scenario). */
function copyMaterial(material: readonly string[], dir: string): string {
  const root = join(dir, 'material');
  for (const m of material) cpSync(m, join(root, basename(m)), { recursive: true });
  return root;
}

/** Every regular file under `root`, relative path → bytes. */
function readTree(root: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[relative(root, p)] = readFileSync(p);
    }
  };
  walk(root);
  return out;
}

export function crawlDirScenario(material: readonly string[]): Scenario {
  let tree = '';
  return {
    name: 'crawl dir',
    async prepare(_db, dir) {
      tree = copyMaterial(material, dir);
    },
    args: (db) => ['--db', db, 'crawl', 'dir', tree, '--repo', 'real/material'],
    outcome: crawledFiles,
    midWork: crawlRunning,
  };
}

export function crawlGitScenario(material: readonly string[]): Scenario {
  let repo = '';
  return {
    name: 'crawl git',
    async prepare(_db, dir) {
      repo = copyMaterial(material, dir);
      const git = (...args: string[]): void => void execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
      git('init', '-q');
      git('add', '-A');
      git('-c', 'user.name=campaign', '-c', 'user.email=campaign@example.invalid', 'commit', '-qm', 'real material');
    },
    args: (db) => ['--db', db, 'crawl', 'git', repo, '--repo', 'real/git'],
    outcome: crawledFiles,
    midWork: crawlRunning,
  };
}

/** One fake GitHub repository per top-level directory of each material tree. */
function githubRepos(material: readonly string[]): FakeRepo[] {
  const repos: FakeRepo[] = [];
  for (const m of material) {
    const groups = new Map<string, Record<string, Buffer>>();
    for (const [path, bytes] of Object.entries(readTree(m))) {
      const top = path.includes('/') ? path.slice(0, path.indexOf('/')) : '_root';
      groups.set(top, { ...(groups.get(top) ?? {}), [path]: bytes });
    }
    for (const [top, files] of groups) repos.push({ full_name: `${basename(m)}/${top.replace(/[^A-Za-z0-9_.-]/g, '_')}`, files, stars: Object.keys(files).length });
  }
  return repos;
}

export function crawlGithubScenario(material: readonly string[]): Scenario & { close(): Promise<void> } {
  let gh: FakeGitHub | null = null;
  let names: string[] = [];
  return {
    name: 'crawl github',
    async prepare() {
      const repos = githubRepos(material);
      names = repos.map((r) => r.full_name);
      gh = await startFakeGitHub({ repos });
    },
    args: (db) => ['--db', db, 'crawl', 'github', '--repo', ...names, '--api-url', gh!.apiUrl, '--search-interval', '0', '--retry-unit', '1', '--langs', 'all'],
    outcome: crawledFiles,
    midWork: (db) => crawlRunning(db) || query(db, "SELECT 1 FROM github_queue WHERE status = 'pending'").length > 0,
    async close() {
      await gh?.close();
    },
  };
}

/** Crawls the material (and, for a second generation, a duplicate copy of its last tree) and rebuilds once. */
async function buildCorpus(db: string, dir: string, material: readonly string[], withSecondCrawl: boolean): Promise<void> {
  const c = openCorpus(db);
  for (const m of material) crawlDir(c, { path: m, repo: `real/${basename(m)}` });
  c.close();
  await rebuild(db, { config: mergeConfig({ ...KEEP_ALL, verify: { enabled: false } }) });
  if (withSecondCrawl) {
    const c2 = openCorpus(db);
    crawlDir(c2, { path: material[material.length - 1]!, repo: 'real/copy' });
    c2.close();
  }
  writeFileSync(join(dir, 'policy.json'), JSON.stringify(KEEP_ALL));
}

/** The current generation's verdicts: key doc id, value verdict/stage/reason/exported blob/lang/domain. */
function verdicts(db: string): Array<[string, string]> {
  return query<{ k: string; v: string }>(
    db,
    `SELECT f.doc_id AS k, v.verdict || '|' || coalesce(v.stage, '') || '|' || v.reason || '|' || coalesce(v.out_sha256, '') || '|' || v.lang || '|' || v.domain AS v
     FROM verdicts v JOIN files f ON f.id = v.file_id
     WHERE v.gen_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'current_generation')`,
  ).map((r) => [r.k, r.v]);
}

export function rebuildScenario(material: readonly string[], verify: boolean): Scenario {
  let before = { gen: '', verdicts: 0 };
  let dirOf = '';
  return {
    name: 'rebuild',
    async prepare(db, dir) {
      await buildCorpus(db, dir, material, true);
      dirOf = dir;
      const cur = query<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'current_generation'")[0]!.value;
      before = { gen: cur, verdicts: verdicts(db).length };
    },
    args: (db) => ['--db', db, 'rebuild', '--config', join(dirOf, 'policy.json'), ...(verify ? [] : ['--no-verify'])],
    outcome: verdicts,
    midWork: (db) => query(db, "SELECT 1 FROM generations WHERE status = 'building'").length > 0,
    afterKill(db) {
      const cur = query<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'current_generation'")[0]?.value;
      const n = verdicts(db).length;
      if (cur !== before.gen) {
        // A kill after the commit: the swap is atomic, so the new generation must be complete and whole
        // (its verdicts are compared with the reference run's after the resume, like every outcome).
        const status = query<{ status: string }>(db, 'SELECT status FROM generations WHERE id = ?', Number(cur))[0]?.status;
        if (status !== 'complete') return `current generation is ${cur} (${status ?? 'missing'}), not ${before.gen} and not complete`;
        return n >= before.verdicts ? null : `the new current generation ${cur} has ${n} verdicts, fewer than the previous ${before.verdicts}`;
      }
      return n === before.verdicts ? null : `the previous generation has ${n} verdicts, not ${before.verdicts}`;
    },
  };
}

/** Every file of an export directory (hidden leftovers included), name → sha256. */
function exportFiles(dir: string): Record<string, string> {
  const out = join(dir, 'out');
  if (!existsSync(out)) return {};
  return Object.fromEntries(readdirSync(out).sort().filter((n) => statSync(join(out, n)).isFile()).map((n) => [n, sha(readFileSync(join(out, n)))]));
}

/** Exported records: key = record id, value = the hash of its line. */
function exportRecords(dir: string): Array<[string, string]> {
  const out = join(dir, 'out');
  if (!existsSync(out)) return [];
  const records: Array<[string, string]> = [];
  for (const name of readdirSync(out).filter((n) => /^(?:train|validation)-\d+\.jsonl(?:\.gz)?$/.test(n)).sort()) {
    const raw = readFileSync(join(out, name));
    for (const line of (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n')) {
      if (line) records.push([(JSON.parse(line) as { id: string }).id, sha(line)]);
    }
  }
  return records;
}

export function exportScenario(material: readonly string[]): Scenario {
  return {
    name: 'export',
    prepare: (db, dir) => buildCorpus(db, dir, material, false),
    args: (db, dir) => ['--db', db, 'export', '--out', join(dir, 'out'), '--compress', 'gzip', '--shard-size', '256K', '--fim-rate', '0.5', '--seed', '7', '--val-fraction', '0.1'],
    outcome: (_db, dir) => exportRecords(dir),
    files: exportFiles,
    midWork: (_db, dir) => Object.keys(exportFiles(dir)).length > 0 && !existsSync(join(dir, 'out', 'manifest.json')),
  };
}
