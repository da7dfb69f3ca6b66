import type { Db } from '../corpus/db.js';

/**
 * Grows a rebuilt corpus for the report benchmark: `copies` more copies of
 * every current repository, file row, verdict and literature snippet of the
 * current generation, in SQL. Each copy's verdict details are the real ones the
 * stages wrote (same JSON sizes and shapes), with `duplicateOf` suffixed per
 * copy so clusters stay as large as in the seed rather than merging. File
 * contents are shared (same blobs): the report never reads them.
 */
export function replicateGeneration(db: Db, seed: SeedCorpus, copies: { from: number; to: number }, onCopy: (k: number) => void = () => {}): void {
  const gen = seed.generation;
  const seedRepos = seed.repoIds;
  const addRepos = db.prepare(
    `INSERT INTO repos (name, source_id, url, commit_sha, revision_time, stars, forks, fork_parent, license_claim, crawled_at)
     SELECT name || '~' || @k, source_id, url, commit_sha, revision_time, stars, forks, fork_parent, license_claim, crawled_at
     FROM repos WHERE id IN (${seedRepos.join(',') || '0'})`,
  );
  const addFiles = db.prepare(
    `INSERT INTO files (doc_id, repo_id, path, size, sha256, status, reason, current, crawl_id)
     SELECT lower(hex(randomblob(8))), nr.id, f.path, f.size, f.sha256, f.status, f.reason, 1, f.crawl_id
     FROM files f JOIN repos r ON r.id = f.repo_id JOIN repos nr ON nr.name = r.name || '~' || @k
     WHERE f.current = 1 AND f.repo_id IN (${seedRepos.join(',') || '0'})`,
  );
  const pairs = `FROM files f JOIN repos r ON r.id = f.repo_id
       JOIN repos nr ON nr.name = r.name || '~' || @k
       JOIN files nf ON nf.repo_id = nr.id AND nf.path = f.path AND nf.current = 1
     WHERE f.current = 1 AND f.repo_id IN (${seedRepos.join(',') || '0'})`;
  const addVerdicts = db.prepare(
    `INSERT INTO verdicts (gen_id, file_id, verdict, stage, reason, details, lang, domain, out_sha256)
     SELECT v.gen_id, nf.id, v.verdict, v.stage, v.reason,
            CASE WHEN instr(v.details, '"duplicateOf"') > 0
                 THEN json_set(v.details, '$.duplicateOf', json_extract(v.details, '$.duplicateOf') || '~' || @k) ELSE v.details END,
            v.lang, v.domain, v.out_sha256
     ${pairs.replace('WHERE', 'JOIN verdicts v ON v.gen_id = @gen AND v.file_id = f.id WHERE')}`,
  );
  const addSnippets = db.prepare(
    `INSERT INTO literature_snippets (file_id, doc_id, page_from, page_to, boxes, method, caption, context, lang, validity, details)
     SELECT nf.id, s.doc_id, s.page_from, s.page_to, s.boxes, s.method, s.caption, s.context, s.lang, s.validity, s.details
     ${pairs.replace('WHERE', 'JOIN literature_snippets s ON s.file_id = f.id WHERE')}`,
  );
  for (let k = copies.from; k <= copies.to; k++) {
    db.transaction(() => {
      addRepos.run({ k });
      addFiles.run({ k });
      addVerdicts.run({ k, gen });
      addSnippets.run({ k });
    })();
    onCopy(k);
  }
  // The seed's counters times the copies, so the funnel matches the grown verdicts.
  db.prepare('UPDATE generations SET stats = ? WHERE id = ?').run(JSON.stringify(scaleCounters(seed.stats, copies.to + 1)), gen);
  // The report runs in another process: hand it a database file with nothing left in the WAL.
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** What is copied: the seed's repositories (before any copy), its generation and counters. */
export interface SeedCorpus {
  generation: number;
  repoIds: number[];
  stats: Record<string, unknown>;
}

export function readSeed(db: Db): SeedCorpus {
  const generation = Number(db.prepare("SELECT value FROM meta WHERE key = 'current_generation'").pluck().get());
  const repoIds = db.prepare('SELECT DISTINCT repo_id FROM files WHERE current = 1').pluck().all() as number[];
  const stats = JSON.parse((db.prepare('SELECT stats FROM generations WHERE id = ?').pluck().get(generation) as string | null) ?? '{}') as Record<string, unknown>;
  return { generation, repoIds, stats };
}

function scaleCounters(stats: Record<string, unknown>, factor: number): unknown {
  const keep = new Set(['timeMs', 'elapsedMs', 'generation']);
  const scale = (x: unknown): unknown =>
    typeof x === 'number' ? x * factor : x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, keep.has(k) ? v : scale(v)])) : x;
  return scale(stats);
}

/** Current file rows and the size of the database file's pages. */
export function corpusSize(db: Db): { files: number; dbBytes: number } {
  const files = db.prepare('SELECT count(*) FROM files WHERE current = 1').pluck().get() as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return { files, dbBytes: pages * size };
}
