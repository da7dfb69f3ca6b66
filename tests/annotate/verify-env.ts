import assert from 'node:assert/strict';
import { createProcessPool } from '../../annotate/verify/process-pool.js';
import { createRepoIndexer } from '../../annotate/verify/repo-index.js';
import type { SandboxLevel } from '../../annotate/verify/sandbox.js';
import { verifyDoc, type Verification, type VerifyDocEnv } from '../../annotate/verify/verify-doc.js';
import { openVerifyCache } from '../../annotate/verify/verify-cache-store.js';
import { openCorpus, type Db } from '../../corpus/db.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { makeDoc, makeTempDir, writeTree } from '../helpers.js';
import { join } from 'node:path';

/** A verify environment over a real corpus file (the stage's, without the stage). */
export function verifyEnvFor(db: Db, opts: { synth?: boolean; sandbox?: SandboxLevel } = {}): VerifyDocEnv {
  return {
    pool: createProcessPool(2),
    cache: openVerifyCache(db),
    limits: {},
    counters: { hits: 0, runs: 0, cpuMs: 0, wallMs: 0 },
    indexRepo: createRepoIndexer(db),
    synth: opts.synth ?? false,
    sandbox: opts.sandbox ?? 'bwrap',
    onMissingTool: (t) => assert.fail(`toolchain missing: ${t}`),
    loadOriginal: () => null,
  };
}

/**
 * Writes a repository, crawls it into a fresh corpus, and returns a function
 * that verifies one of its files (language and domain from the real analyzer).
 */
export function repoVerifier(files: Record<string, string>, opts: { synth?: boolean; sandbox?: SandboxLevel; repo?: string } = {}) {
  const root = writeTree(makeTempDir('incorpus-vrepo-'), files);
  const db = openCorpus(join(makeTempDir(), 'c.db'));
  const repo = opts.repo ?? 'acme/hw';
  crawlDir(db, { path: root, repo });
  const env = verifyEnvFor(db, opts);
  return {
    env,
    db,
    async verify(path: string, extra: { domain?: string } = {}): Promise<Verification> {
      const doc = makeDoc(path, files[path]!, { repo, ...extra });
      const v = await verifyDoc(doc, env);
      assert.ok(v, `${path}: no check applies (lang ${doc.lang})`);
      return v;
    },
    close(): void {
      env.pool.close();
      db.close();
    },
  };
}
