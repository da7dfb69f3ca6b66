import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCorpus } from '../../corpus/db.js';
import { CLI, makeTempDir, writeSampleRepo } from '../helpers.js';
import { encryptPdf, makeListingPdf, realVerilog, yosysManual } from '../ocr/pdf-fixtures.js';
import { startFakeGitHub, type FakeRepo } from './github-fake-server.js';
import { buildTarGz } from './github-tarballs.js';

/**
 * The hostile-input campaign of issue 12, shared by bench/faults-hostile.ts (full
 * sizes) and tests/crawlers/hostile-input.test.ts (small ones): each case is
 * crawled by the real CLI next to a normal repository, then `rebuild --no-verify`
 * runs; the case's recorded outcome, its times, and whether the normal
 * repository's kept set is exactly the one of a run without the case are reported.
 */
export interface HostileOptions {
  /** Decorator lines in the decorator file. @default 1_000_000 */
  decorators: number;
  /** Bytes of the long single-line files. @default 10 MiB */
  lineBytes: number;
  /** Uncompressed bytes of the gzip bomb's one entry. @default 4 GiB */
  bombBytes: number;
  /** Cap on one rebuild; past it the case is "stalled" (the per-document budget is another helper's). @default 600 s */
  rebuildCapMs: number;
}

export interface HostileOutcome {
  name: string;
  /** What the store recorded for the case: statuses and reasons, one line. */
  recorded: string;
  crawlMs: number;
  rebuildMs: number;
  /** Exit codes of crawl and rebuild (null: killed at the cap). */
  exit: [number | null, number | null];
  /** The normal repository's kept (path, sha256) set equals the run without the case. */
  othersIntact: boolean;
}

interface Case {
  name: string;
  crawl: (db: string, dir: string, apiUrl: string) => string[];
  describe: (db: string) => string;
}

const MiB = 1024 * 1024;
const TOP = 'evil-tar-0000000';

export async function runHostileSuite(opts: HostileOptions, onCase: (o: HostileOutcome) => void = () => {}): Promise<HostileOutcome[]> {
  const work = makeTempDir('incorpus-hostile-');
  const base = writeSampleRepo(join(work, 'base'));
  // Real code beside our sample, so "nothing else lost" is checked on files nobody here wrote.
  const yosys = '/usr/share/yosys';
  if (existsSync(yosys)) for (const f of readdirSync(yosys).filter((n) => n.endsWith('.v')).slice(0, 20)) copyFileSync(join(yosys, f), join(base, 'rtl', f));
  const gh = await startFakeGitHub({ repos: await hostileRepos(opts) });
  try {
    const baseline = await runCase(null, work, base, gh.apiUrl, opts);
    const out: HostileOutcome[] = [];
    for (const c of cases(opts)) {
      const r = await runCase(c, work, base, gh.apiUrl, opts);
      const o: HostileOutcome = { name: c.name, recorded: r.recorded, crawlMs: r.crawlMs, rebuildMs: r.rebuildMs, exit: r.exit, othersIntact: sameSet(r.kept, baseline.kept) };
      onCase(o);
      out.push(o);
    }
    return out;
  } finally {
    await gh.close();
  }
}

async function runCase(c: Case | null, work: string, base: string, apiUrl: string, opts: HostileOptions) {
  const db = join(makeTempDir(), 'c.db');
  await cli(['--db', db, 'crawl', 'dir', base, '--repo', 'base/sample'], 120_000);
  const dir = join(work, c?.name ?? 'none');
  mkdirSync(dir, { recursive: true });
  let t = Date.now();
  const crawl = c ? await cli(c.crawl(db, dir, apiUrl), 600_000) : 0;
  const crawlMs = Date.now() - t;
  t = Date.now();
  const rebuild = await cli(['--db', db, 'rebuild', '--no-verify', '--threads', '2'], opts.rebuildCapMs);
  const rebuildMs = Date.now() - t;
  const stalled = rebuild === null ? ` — rebuild stalled past ${opts.rebuildCapMs} ms (depends on the per-document budget)` : '';
  return { recorded: (c ? c.describe(db) : '') + stalled, crawlMs, rebuildMs, exit: [crawl, rebuild] as [number | null, number | null], kept: keptOf(db, 'base/sample') };
}

/** Runs the CLI; resolves to its exit code, or null when it had to be killed at the cap. */
function cli(args: string[], capMs: number): Promise<number | null> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore', env: { ...process.env, CI: '1' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), capMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ok(signal ? null : code);
    });
  });
}

function cases(opts: HostileOptions): Case[] {
  const dirCase = (name: string, files: Record<string, string | Buffer>): Case => ({
    name,
    crawl: (db, dir) => {
      for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
      return ['--db', db, 'crawl', 'dir', dir, '--repo', `evil/${name}`];
    },
    describe: (db) => describeFiles(db, `evil/${name}`),
  });
  const pdfCase = (name: string, make: (dir: string) => void, extra: string[] = []): Case => ({
    name,
    crawl: (db, dir) => {
      make(dir);
      return ['--db', db, 'crawl', 'pdf', dir, '--timeout', '60', ...extra];
    },
    describe: (db) => describeLiterature(db),
  });
  const ghCase = (name: string, extra: string[] = []): Case => ({
    name,
    crawl: (db, _dir, apiUrl) => ['--db', db, 'crawl', 'github', '--api-url', apiUrl, '--repo', `evil/${name}`, '--langs', 'all', ...extra],
    describe: (db) => describeGithub(db, `evil/${name}`),
  });
  const line = (n: number) => `x = "${'a'.repeat(Math.max(0, n - 7))}"\n`;
  return [
    ghCase('tar-entries'),
    ghCase('gzip-bomb', ['--max-archive-size', String(64 * MiB)]),
    pdfCase('pdf-encrypted', (d) => {
      writeFileSync(join(d, 'plain.pdf'), makeListingPdf({ lines: realVerilog() }));
      encryptPdf(join(d, 'plain.pdf'), join(d, 'encrypted.pdf'));
    }),
    pdfCase('pdf-looping', (d) => writeFileSync(join(d, 'looping.pdf'), loopingPdf())),
    pdfCase('pdf-huge', (d) => copyFileSync(yosysManual(), join(d, 'manual.pdf')), ['--max-file-size', String(MiB)]),
    dirCase('decorators', { 'kernels.py': `import triton\n${'@triton.jit\n'.repeat(2)}${'@d\n'.repeat(opts.decorators)}x = 1\n` }),
    dirCase('long-line', { 'over-cap.py': line(opts.lineBytes), 'under-cap.v': `// ${'w'.repeat(Math.min(opts.lineBytes, 7 * MiB))}\nmodule m; endmodule\n` }),
    dirCase('regex-attacks', { 'attack.c': regexAttacks(opts.lineBytes / 10) }),
    dirCase('bad-bytes', { 'latin1.v': Buffer.from('// caf\xe9\nmodule m; endmodule\n', 'latin1'), 'blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]) }),
  ];
}

/** Inputs recheck found for the patterns this change fixed, glued into one C file (unclosed comments, tab runs, `key=[`). */
function regexAttacks(bytes: number): string {
  const n = Math.max(1000, Math.floor(bytes / 8));
  return ['/*'.repeat(n), '\t'.repeat(n) + 'x', '\n'.repeat(n) + 'x', 'key=['.repeat(n / 4), '__attribute__((interrupt'.repeat(n / 16), '\x00#include <'.repeat(n / 8)].join('\n');
}

/** A PDF whose page tree contains itself and whose resources reference themselves (cyclic objects). */
function loopingPdf(): Buffer {
  return Buffer.from([
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >> endobj',
    '3 0 obj << /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources 4 0 R /Contents 5 0 R >> endobj',
    '4 0 obj << /Font 4 0 R /XObject << /X 4 0 R >> >> endobj',
    '5 0 obj << /Length 5 0 R >> stream\nBT ET\nendstream endobj',
    'trailer << /Root 1 0 R /Size 6 >>',
    '%%EOF',
  ].join('\n'));
}

async function hostileRepos(opts: HostileOptions): Promise<FakeRepo[]> {
  const entries = await buildTarGz([
    { name: `${TOP}/`, type: 'directory' },
    { name: `${TOP}/ok.v`, content: 'module ok; endmodule\n' },
    { name: `${TOP}/../../escape.v`, content: 'module escape; endmodule\n' },
    { name: '/tmp/incorpus-hostile-abs.v', content: 'module abs; endmodule\n' },
    { name: `${TOP}/link.v`, type: 'symlink', linkname: '/etc/passwd' },
    { name: `${TOP}/hard.v`, type: 'link', linkname: `${TOP}/ok.v` },
    { name: `${TOP}/dup.v`, content: 'module dup1; endmodule\n' },
    { name: `${TOP}/dup.v`, content: 'module dup2; endmodule\n' },
  ]);
  const bomb = await buildTarGz([{ name: `${TOP}/`, type: 'directory' }, { name: `${TOP}/zeros.v`, zeros: opts.bombBytes }]);
  return [
    { full_name: 'evil/tar-entries', files: { x: '1' }, tarball: async () => entries },
    { full_name: 'evil/gzip-bomb', files: { x: '2' }, tarball: async () => bomb },
  ];
}

const currentGen = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'current_generation')";

function keptOf(dbPath: string, repo: string): Set<string> {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    const rows = db.prepare(`SELECT f.path || ' ' || coalesce(v.out_sha256, '') AS k FROM files f JOIN repos r ON r.id = f.repo_id
      JOIN verdicts v ON v.file_id = f.id AND v.gen_id = ${currentGen} WHERE r.name = ? AND f.current = 1 AND v.verdict = 'keep'`).pluck().all(repo) as string[];
    return new Set(rows);
  } finally {
    db.close();
  }
}

function describeFiles(dbPath: string, repo: string): string {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    const rows = db.prepare(`SELECT f.path, f.status, f.reason, v.verdict, v.stage, v.reason AS why FROM files f JOIN repos r ON r.id = f.repo_id
      LEFT JOIN verdicts v ON v.file_id = f.id AND v.gen_id = ${currentGen} WHERE r.name = ? AND f.current = 1 ORDER BY f.path`).all(repo) as Array<Record<string, string | null>>;
    return rows.map((r) => `${r.path}: ${r.status}${r.reason ? ` (${r.reason})` : ''} → ${r.verdict ?? 'no verdict'}${r.stage ? ` by ${r.stage}` : ''}${r.why ? `: ${r.why}` : ''}`).join('; ') || 'no files recorded';
  } finally {
    db.close();
  }
}

function describeLiterature(dbPath: string): string {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT uri, status, reason FROM literature_docs ORDER BY uri').all() as Array<{ uri: string; status: string; reason: string | null }>;
    return rows.map((r) => `${r.uri.slice(r.uri.lastIndexOf('/') + 1)}: ${r.status}${r.reason ? ` (${r.reason.slice(0, 120)})` : ''}`).join('; ') || 'no document recorded';
  } finally {
    db.close();
  }
}

function describeGithub(dbPath: string, repo: string): string {
  const db = openCorpus(dbPath, { readonly: true });
  try {
    const state = db.prepare('SELECT status, reason, skipped FROM github_repo_state WHERE repo = ?').get(repo) as { status: string; reason: string | null; skipped: string | null } | undefined;
    const skipped = state?.skipped ? (JSON.parse(state.skipped) as Array<{ path: string; reason: string }>).map((s) => s.reason).join(', ') : '';
    return `${state?.status ?? 'no state'}${state?.reason ? ` (${state.reason})` : ''}${skipped ? `; skipped: ${skipped}` : ''}; files: ${describeFiles(dbPath, repo)}`;
  } finally {
    db.close();
  }
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
