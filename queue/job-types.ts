import type { RawSnapshot } from '../pipeline/stage.js';
import type { RebuildConfig } from '../rebuild/rebuild-config.js';

/** One repository crawled into its own shard: `crawl dir` or `crawl git` input, exactly as the in-process command gets it. */
export interface CrawlJobData {
  kind: 'crawl';
  store: string;
  source: 'dir' | 'git';
  /** Absolute path (dir) or URL (git). */
  target: string;
  repo?: string;
  ref?: string;
  maxBytes: number;
}

/** One rebuild shard: the per-document stages over file ids [firstId, lastId] of a pinned snapshot. */
export interface RebuildShardJobData {
  kind: 'rebuild-shard';
  store: string;
  /** The corpus every worker reads (read-only apart from nothing: the shard gets every write). */
  dbPath: string;
  snapshot: RawSnapshot;
  firstId: number;
  lastId: number;
  config: RebuildConfig;
}

export type JobData = CrawlJobData | RebuildShardJobData;

/** What a finished job reports (also written into its completion marker). */
export interface JobSummary {
  id: string;
  kind: JobData['kind'];
  /** Files crawled, or documents run through the per-document stages. */
  items: number;
  ms: number;
  /** True when the output was already in the store (a repeated job). */
  reused?: boolean;
}
