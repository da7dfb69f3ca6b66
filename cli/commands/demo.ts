import { readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCorpus } from '../../corpus/db.js';
import { exportCorpus } from '../../export/export-corpus.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { createTerminalProgress } from '../progress.js';
import { formatExportSummary } from './export.js';
import { formatRebuildSummary } from './rebuild.js';

/** The demo repositories ship in the package, next to dist/. */
export const DEMO_REPOS_DIR = fileURLToPath(new URL('../../../demo/repos/', import.meta.url));
const DEMO_DB = '.incorpus/demo.db';

/**
 * `incorpus demo`: the main job end to end on the built-in demo corpus —
 * crawl every demo repository, rebuild, export — with a summary of each step.
 * Starts from a fresh demo database unless --db names one.
 */
export async function demoCommand(opts: { db?: string; out: string }): Promise<void> {
  const userDb = opts.db || process.env.INCORPUS_DB;
  const dbPath = resolve(userDb || DEMO_DB);
  if (!userDb) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  }
  const say = (s: string): boolean => process.stdout.write(s);
  const repos = readdirSync(DEMO_REPOS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  say(`== crawl: ${repos.length} demo repositories from ${relative(process.cwd(), DEMO_REPOS_DIR) || DEMO_REPOS_DIR}\n`);
  const db = openCorpus(dbPath);
  try {
    for (const name of repos) {
      const r = crawlDir(db, { path: join(DEMO_REPOS_DIR, name), repo: `demo/${name}` });
      const odd = Object.entries(r.counts.byStatus).filter(([k]) => k !== 'ok');
      say(`  demo/${name}: ${r.counts.seen} files${odd.length ? ` (${odd.map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}\n`);
    }
  } finally {
    db.close();
  }
  say('== rebuild\n');
  say(formatRebuildSummary(await rebuild(dbPath, { progress: createTerminalProgress('rebuild') })));
  say('== export\n');
  const reader = openCorpus(dbPath, { readonly: true });
  try {
    say(formatExportSummary(await exportCorpus(reader, { format: 'jsonl', outDir: resolve(opts.out), progress: createTerminalProgress('export') })));
  } finally {
    reader.close();
  }
  const db2 = `--db ${relative(process.cwd(), dbPath)}`;
  say(
    `\nnext: incorpus ${db2} stats\n` +
      `      incorpus ${db2} why demo/stm32-blinky:firmware.bin\n` +
      `      incorpus ${db2} why demo/asm-opt:src/crc32.c\n`,
  );
}
