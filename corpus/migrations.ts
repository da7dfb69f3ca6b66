import type { Db } from './db.js';
import { CorpusError } from './errors.js';

/** One schema step. Names are ordered and never renamed once released. */
export interface Migration {
  name: string;
  up: string;
}

/**
 * The schema, as ordered named migrations (kysely's style: each runs in its own
 * transaction and is recorded by name, so a crash between two leaves a database
 * that the next open finishes upgrading).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: '0001-raw-layer',
    up: `
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,            -- dir | git | github | pdf | web
        uri TEXT NOT NULL,             -- absolute path or URL, credentials stripped
        ref TEXT NOT NULL DEFAULT '',  -- requested ref ('' = default)
        created_at TEXT NOT NULL,
        UNIQUE (kind, uri, ref)
      );
      CREATE TABLE crawls (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,          -- running | complete | failed
        counts TEXT                    -- JSON: seen, added, changed, removed, unchanged, by status
      );
      CREATE TABLE repos (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,     -- owner/name, or the name given with --repo
        source_id INTEGER NOT NULL REFERENCES sources(id),
        url TEXT,
        commit_sha TEXT,
        revision_time TEXT,            -- commit time (ISO 8601) when known
        stars INTEGER,
        forks INTEGER,
        fork_parent TEXT,
        topics TEXT,
        archived INTEGER,
        pushed_at TEXT,
        default_branch TEXT,
        license_claim TEXT,
        recall_step TEXT,
        recall_score REAL,
        crawled_at TEXT NOT NULL
      );
      -- Content-addressed, compressed file contents. Never updated, never deleted by a crawl.
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        codec TEXT NOT NULL,           -- deflate-raw
        data BLOB NOT NULL
      );
      -- Append-only: a changed or vanished file keeps its row with current = 0,
      -- so an older corpus generation can still be explained and exported.
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL,          -- stable id of repo + path
        repo_id INTEGER NOT NULL REFERENCES repos(id),
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT REFERENCES blobs(sha256),  -- NULL when the content was not stored
        status TEXT NOT NULL,          -- ok | binary | too-large | bad-encoding | symlink | special | unreadable
        reason TEXT,
        current INTEGER NOT NULL DEFAULT 1,
        crawl_id INTEGER NOT NULL REFERENCES crawls(id)
      );
      CREATE UNIQUE INDEX files_current_path ON files(repo_id, path) WHERE current = 1;
      CREATE INDEX files_doc_id ON files(doc_id);
      CREATE INDEX files_sha256 ON files(sha256);
    `,
  },
  {
    name: '0002-derived-layer',
    up: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- A rebuild writes one generation; meta.current_generation names the one readers see.
      CREATE TABLE generations (
        id INTEGER PRIMARY KEY,
        status TEXT NOT NULL,          -- building | complete | abandoned
        started_at TEXT NOT NULL,
        finished_at TEXT,
        config TEXT NOT NULL,          -- JSON: every option the stages ran with
        stats TEXT                     -- JSON: per-stage counters
      );
      -- One verdict per file per generation, with the stage and reason that decided it.
      CREATE TABLE verdicts (
        gen_id INTEGER NOT NULL,
        file_id INTEGER NOT NULL,
        verdict TEXT NOT NULL,         -- keep | drop
        stage TEXT,                    -- the stage that dropped it (NULL when kept)
        reason TEXT NOT NULL,
        details TEXT,                  -- JSON
        lang TEXT,
        domain TEXT,
        out_sha256 TEXT,               -- the blob exported for a kept file
        PRIMARY KEY (gen_id, file_id)
      ) WITHOUT ROWID;
      CREATE INDEX verdicts_by_verdict ON verdicts(gen_id, verdict);
    `,
  },
];

export interface MigrationResult {
  name: string;
  status: 'applied' | 'already-applied';
}

/** Applies every pending migration in order, each in its own transaction. */
export function migrate(db: Db): MigrationResult[] {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT name FROM migrations').all() as { name: string }[]).map((r) => r.name));
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = [...applied].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new CorpusError(`database was written by a newer incorpus (unknown migrations: ${unknown.join(', ')}); upgrade incorpus`);
  }
  const record = db.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)');
  return MIGRATIONS.map((m) => {
    if (applied.has(m.name)) return { name: m.name, status: 'already-applied' as const };
    // Re-checked under the write lock: another process may have migrated meanwhile.
    const ran = db.transaction(() => {
      if (db.prepare('SELECT 1 FROM migrations WHERE name = ?').get(m.name)) return false;
      db.exec(m.up);
      record.run(m.name, new Date().toISOString());
      return true;
    }).immediate();
    return { name: m.name, status: ran ? ('applied' as const) : ('already-applied' as const) };
  });
}
