import { resolve } from 'node:path';
import { resolveDbPath } from '../../corpus/db.js';
import { loadRebuildConfig } from '../../rebuild/rebuild-config.js';
import { rebuild, type RebuildSummary } from '../../rebuild/rebuild.js';
import { createTerminalProgress } from '../progress.js';
import { resolveQueue } from '../queue-options.js';
import { formatVerifyCounters } from '../../annotate/verify-report.js';

export async function rebuildCommand(opts: {
  db?: string;
  config?: string;
  decontaminate?: string[];
  threads?: number;
  verify?: boolean;
  sandbox?: string;
  keepGenerations?: number;
  json?: boolean;
  queue?: string;
  store?: string;
  shardFiles?: number;
  shardSignatures?: boolean;
  bandPartitions?: number;
  force?: boolean;
}): Promise<void> {
  const config = loadRebuildConfig(opts.config);
  if (opts.verify === false) config.verify.enabled = false;
  if (opts.sandbox) config.verify.sandbox = opts.sandbox;
  if (opts.decontaminate?.length) config.decontaminate.files = [...config.decontaminate.files, ...opts.decontaminate.map((f) => resolve(f))];
  const rebuildOpts = {
    config,
    ...(opts.threads ? { threads: opts.threads } : {}),
    ...(opts.keepGenerations ? { keepGenerations: opts.keepGenerations } : {}),
    ...(opts.force ? { force: true } : {}),
    progress: createTerminalProgress('rebuild'),
  };
  const queue = resolveQueue(opts);
  const summary = queue
    ? await (await import('../../queue/queued-rebuild.js')).queuedRebuild(resolveDbPath(opts.db), {
      ...rebuildOpts, ...queue, ...(opts.shardFiles ? { shardFiles: opts.shardFiles } : {}),
      ...(opts.shardSignatures === false ? { shardSignatures: false } : {}),
      ...(opts.bandPartitions !== undefined ? { bandPartitions: opts.bandPartitions } : {}), shardProgress: createTerminalProgress('rebuild shards'),
    })
    : await rebuild(resolveDbPath(opts.db), rebuildOpts);
  process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : formatRebuildSummary(summary));
}

export function formatRebuildSummary(s: RebuildSummary): string {
  if (s.unchanged) {
    return (
      `generation ${s.generation} is up to date: nothing changed since it was built (${s.unchanged.since}); no new generation (--force builds one)\n` +
      `  ${s.seen} documents seen, ${s.kept} kept, ${s.dropped} dropped (checked in ${(s.elapsedMs / 1000).toFixed(1)} s)\n`
    );
  }
  const lines = [
    `generation ${s.generation}: ${s.seen} documents seen, ${s.kept} kept, ${s.dropped} dropped (${(s.elapsedMs / 1000).toFixed(1)} s)`,
  ];
  for (const [reason, n] of Object.entries(s.droppedBy).sort((a, b) => b[1] - a[1])) lines.push(`  dropped ${reason}: ${n}`);
  const verify = formatVerifyCounters(s.stages.verify);
  if (verify) lines.push(verify);
  if ('queue' in s) {
    const q = (s as RebuildSummary & { queue: { shards: number; cacheRowsMerged: number; shardMs: number; nearDedupBands?: { partitions: number; edges: number; undecided: number } } }).queue;
    lines.push(`  queue: ${q.shards} shard job(s), ${q.cacheRowsMerged} verify cache rows merged (${(q.shardMs / 1000).toFixed(1)} s on workers)`);
    const b = q.nearDedupBands;
    if (b) lines.push(`  near-dedup: ${b.partitions} band-partition job(s), ${b.edges} edges and ${b.undecided} pairs for the exact check`);
  }
  if (s.abandoned > 0) lines.push(`  (cleaned up ${s.abandoned} generation(s) left by an interrupted rebuild)`);
  const c = s.cleanup;
  if (c.pruned.length > 0 || c.blobs.blobs > 0) {
    lines.push(`  retention: pruned generation(s) ${c.pruned.join(', ') || 'none'}; ${c.blobs.blobs} unreferenced blobs collected (${(c.blobs.bytes / 1e6).toFixed(2)} MB)`);
  }
  return lines.join('\n') + '\n';
}
