import type Database from 'better-sqlite3';
import { CorpusError } from '../pipeline/errors.js';

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
  {
    name: '0003-github',
    up: `
      -- Conditional-request cache: a 304 for a stored ETag costs no rate limit (URL has no token).
      CREATE TABLE github_etags (url TEXT PRIMARY KEY, etag TEXT NOT NULL, body TEXT NOT NULL, link TEXT, fetched_at TEXT NOT NULL);
      -- Search windows of a sliced query: done ones are skipped on restart; split ones keep their total.
      CREATE TABLE github_search_windows (
        query TEXT NOT NULL, win TEXT NOT NULL, total INTEGER NOT NULL,
        status TEXT NOT NULL,          -- split | done | truncated
        finished_at TEXT NOT NULL, PRIMARY KEY (query, win)
      ) WITHOUT ROWID;
      -- Repositories a job still has to ingest; meta is the search item (saves a request per repo).
      CREATE TABLE github_queue (
        job TEXT NOT NULL, repo TEXT NOT NULL, meta TEXT, seq INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',  -- pending | done | failed
        reason TEXT, PRIMARY KEY (job, repo)
      ) WITHOUT ROWID;
      -- What was last ingested per repository: same commit → no tarball download.
      CREATE TABLE github_repo_state (
        repo TEXT PRIMARY KEY, commit_sha TEXT, status TEXT NOT NULL, reason TEXT,
        skipped TEXT,                  -- JSON: archive entries skipped, with reasons
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE recall_candidates (
        repo TEXT PRIMARY KEY, step TEXT NOT NULL, round INTEGER NOT NULL, origin TEXT,
        status TEXT NOT NULL,          -- candidate | accepted | rejected | failed
        rule_score REAL, classifier_score REAL, evidence TEXT, updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE recall_file_scores (file_id INTEGER NOT NULL, step TEXT NOT NULL, score REAL NOT NULL, evidence TEXT, PRIMARY KEY (file_id, step)) WITHOUT ROWID;
      CREATE TABLE recall_models (
        id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, params TEXT NOT NULL, weights BLOB NOT NULL,
        precision REAL, recall REAL, train_size INTEGER, test_size INTEGER
      );
    `,
  },
  {
    name: '0004-literature',
    up: `
      -- One row per crawled PDF or web page (also the ones that failed: no repo then).
      CREATE TABLE literature_docs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,            -- pdf | web
        uri TEXT NOT NULL,             -- absolute path or URL
        repo_id INTEGER REFERENCES repos(id),
        sha256 TEXT,                   -- of the document bytes
        title TEXT,
        pages INTEGER,
        pages_text INTEGER,            -- pages read from the text layer
        pages_ocr INTEGER,             -- pages recognized by OCR
        status TEXT NOT NULL,          -- ok | partial | failed
        reason TEXT,
        elapsed_ms INTEGER,
        crawled_at TEXT NOT NULL,
        UNIQUE (kind, uri)
      );
      -- Provenance of each extracted snippet, keyed by the file row that holds its text.
      CREATE TABLE literature_snippets (
        file_id INTEGER PRIMARY KEY REFERENCES files(id),
        doc_id INTEGER NOT NULL REFERENCES literature_docs(id),
        page_from INTEGER,
        page_to INTEGER,
        boxes TEXT,                    -- JSON [{page, x0, y0, x1, y1}], PDF points, origin top-left
        method TEXT NOT NULL,          -- text-layer | ocr | html
        caption TEXT,
        context TEXT,                  -- the prose line just before the listing
        lang TEXT,
        validity REAL,                 -- 1 - tree-sitter error ratio; NULL without a grammar
        details TEXT                   -- JSON: language hint, OCR fixes, …
      );
    `,
  },
  {
    name: '0006-dedup',
    up: `
      -- Duplicate clusters of a generation: every member with the kept one marked,
      -- so "incorpus dups" and "why" can show a cluster whole.
      CREATE TABLE dup_clusters (
        gen_id INTEGER NOT NULL,
        kind TEXT NOT NULL,            -- near-duplicate | contained-snippet
        cluster TEXT NOT NULL,         -- doc id of the kept member
        file_id INTEGER NOT NULL,
        kept INTEGER NOT NULL,         -- 1 for the member the keep rule chose
        similarity REAL,               -- Jaccard (near-duplicate) or containment (snippet) to the kept member
        family TEXT,                   -- canonical repository of the member's fork family, if any
        PRIMARY KEY (gen_id, kind, file_id)
      ) WITHOUT ROWID;
      CREATE INDEX dup_clusters_by_cluster ON dup_clusters (gen_id, cluster);
      -- Repository families (fork graph + content overlap) and their canonical repository.
      CREATE TABLE dup_families (
        gen_id INTEGER NOT NULL,
        repo TEXT NOT NULL,
        canonical TEXT NOT NULL,
        evidence TEXT NOT NULL,        -- JSON: why the repo joined the family
        PRIMARY KEY (gen_id, repo)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: '0007-verify',
    up: `
      -- Toolchain results that outlive rebuilds: key = sha256 of (check kind, tool,
      -- tool version, flags, every input file's path and content hash).
      CREATE TABLE verify_cache (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,            -- compile | lint | synth | equiv
        tool TEXT NOT NULL,
        version TEXT NOT NULL,
        result TEXT NOT NULL,          -- JSON: status, sanitized log, cpu ms, extras
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    name: '0009-rebuild-integrity',
    up: `
      -- The raw layer's clock. File rows are only appended (ids only grow) and only ever
      -- retired, never deleted; every retirement ticks the clock and records its tick. So
      -- "the raw layer as of now" is two numbers (highest file id, clock), which a rebuild
      -- pins at its start: later crawls stay out of that generation and wait for the next.
      CREATE TABLE raw_clock (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
      INSERT INTO raw_clock (id, seq) VALUES (1, 1);
      ALTER TABLE files ADD COLUMN retired_seq INTEGER;  -- clock tick of the retirement; NULL while current
      UPDATE files SET retired_seq = 1 WHERE current = 0; -- retired before the clock existed
      CREATE INDEX files_retired_seq ON files(retired_seq) WHERE retired_seq IS NOT NULL;
      CREATE TRIGGER files_retire AFTER UPDATE OF current ON files
        WHEN OLD.current = 1 AND NEW.current = 0
        BEGIN
          UPDATE raw_clock SET seq = seq + 1 WHERE id = 1;
          UPDATE files SET retired_seq = (SELECT seq FROM raw_clock WHERE id = 1) WHERE id = NEW.id;
        END;
      CREATE TRIGGER files_never_unretired BEFORE UPDATE OF current ON files
        WHEN OLD.current = 0 AND NEW.current = 1
        BEGIN SELECT RAISE(ABORT, 'a retired file row is never made current again (the raw layer is append-only)'); END;
      -- The snapshot a generation was built from (NULL for generations built before this migration).
      ALTER TABLE generations ADD COLUMN snapshot_file_id INTEGER;
      ALTER TABLE generations ADD COLUMN snapshot_seq INTEGER;
      -- Repository facts as the rebuild saw them (repos rows are refreshed in place by every crawl):
      -- the keep rule ranks by these, and an export of this generation records these commits.
      CREATE TABLE generation_repos (
        gen_id INTEGER NOT NULL,
        repo_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        source_id INTEGER NOT NULL,
        commit_sha TEXT,
        revision_time TEXT,
        stars INTEGER,
        forks INTEGER,
        fork_parent TEXT,
        license_claim TEXT,
        PRIMARY KEY (gen_id, repo_id)
      ) WITHOUT ROWID;
      -- Blob garbage collection asks "does any retained verdict still export this blob?".
      CREATE INDEX verdicts_out_sha256 ON verdicts(out_sha256) WHERE out_sha256 IS NOT NULL;
    `,
  },
  {
    name: '0010-stage-memo',
    up: `
      -- Per-document results of worker stages that outlive a rebuild (incremental
      -- rebuild). scope = hash of the stage chain's options and code; key = hash of
      -- the document's fields within it; sha256 = the content the result is about
      -- (pruned once no current file has it — '' for files without content —, or once no rebuild uses the scope);
      -- value = v8-serialized patch, decision and counters.
      CREATE TABLE stage_memo (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (scope, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: '0011-verify-cache-rekey',
    up: `
      -- Entries before this were keyed without the sandbox level and limits, and held
      -- timeouts as facts about the code (issue 12). It is a cache: the next rebuild refills it.
      DELETE FROM verify_cache;
    `,
  },
  {
    name: '0016-files-repo-path',
    up: `
      -- The rebuild reads a pinned snapshot one repository at a time in path order
      -- (corpus/rebuild-source.ts); a snapshot includes rows retired after it was
      -- pinned, so the partial files_current_path index cannot serve it.
      CREATE INDEX files_repo_path ON files(repo_id, path, id);
    `,
  },
  {
    name: '0017-stage-memo-rowid',
    up: `
      -- The memo's rows (a 1 kB signature, a few hundred bytes of patch) lived in a
      -- WITHOUT ROWID b-tree keyed by random hashes: every insert rewrote a random
      -- leaf of big cells. Measured, 190k inserts of the 100k scale corpus's rows cost
      -- 11.5 s of main-thread CPU; rows appended in rowid order with a unique index on
      -- the (small) keys cost 3.8 s. SQLite's own guidance: WITHOUT ROWID suits rows
      -- smaller than about a twentieth of a page (sqlite.org/withoutrowid.html, 4).
      -- Same columns and uniqueness, so OR REPLACE / OR IGNORE keep their meaning; the
      -- rows are kept (copied in key order).
      CREATE TABLE stage_memo_rows (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        value BLOB NOT NULL
      );
      INSERT INTO stage_memo_rows (scope, key, sha256, value) SELECT scope, key, sha256, value FROM stage_memo ORDER BY scope, key;
      DROP TABLE stage_memo;
      ALTER TABLE stage_memo_rows RENAME TO stage_memo;
      CREATE UNIQUE INDEX stage_memo_scope_key ON stage_memo (scope, key);
    `,
  },
];

export interface MigrationResult {
  name: string;
  status: 'applied' | 'already-applied';
}

/** Applies every pending migration in order, each in its own transaction. */
export function migrate(db: Database.Database): MigrationResult[] {
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
