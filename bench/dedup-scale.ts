/**
 * Child process of bench/dedup.ts: runs the real near-dedup stage (worker pool,
 * scratch SQLite, union-find, keep rule, emit) over N synthetic tiny documents
 * and prints time and peak RSS as JSON. Every tenth document is a near-copy of
 * the one before it (the last of 40 tokens changed: Jaccard ≈ 0.95), so 10 % should go.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { peakRssKb } from './peak-rss.js';
import { openCorpus } from '../corpus/db.js';
import { createNearDedupStage } from '../dedup/near-dedup-stage.js';
import type { Doc } from '../pipeline/doc.js';
import { createWorkerPool } from '../pipeline/worker-pool.js';
import { createStageContext, TASK_WORKER } from '../rebuild/stage-context.js';

const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);

/** Deterministic 40-token text of document i (xorshift32 seeded by the original's index). */
export function synthText(i: number): string {
  const copy = i % 10 === 9;
  let s = ((copy ? i - 1 : i) * 2654435761 + 1) >>> 0 || 1;
  const words: string[] = [];
  for (let k = 0; k < 40; k++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    words.push(VOCAB[s % VOCAB.length]!);
  }
  if (copy) words[39] = 'changed';
  return words.join(' ') + '\n';
}

function synthDoc(i: number): Doc {
  const text = synthText(i);
  return {
    fileId: i + 1, id: i.toString(16).padStart(16, '0'), source: 'dir', repo: `syn/r${i % 1000}`, path: `f${i}.txt`,
    size: text.length, sha256: `syn-${i}`, crawlStatus: 'ok', crawlReason: null, blob: null, text, lang: 'text', domain: 'general',
    domainEvidence: null, features: null, repoInfo: { stars: null, forks: null, forkParent: null, revisionTime: null, licenseClaim: null },
    license: null, modifiedBy: [], annotations: {},
  };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  const threads = Number(process.argv[3] ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-dedup-scale-'));
  const db = openCorpus(join(dir, 'scale.db'));
  let dropped = 0;
  let kept = 0;
  const pool = await createWorkerPool(TASK_WORKER, threads);
  const ctx = createStageContext(db, { genId: 1, pool, drop: () => void dropped++ });
  ctx.loadText = (sha) => synthText(Number(sha.slice(4)));
  async function* docs(): AsyncGenerator<Doc> {
    for (let i = 0; i < n; i++) yield synthDoc(i);
  }
  const t = performance.now();
  for await (const _ of createNearDedupStage().run(docs(), ctx)) kept++;
  const ms = performance.now() - t;
  await pool.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ n, threads, ms, kept, dropped, maxRssKb: peakRssKb() }) + '\n');
}

if (process.argv[2]) await main();
