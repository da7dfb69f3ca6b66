import type { CrawlPdfOptions, PdfTarget } from '../crawlers/pdf/crawl-pdf.js';
import type { CrawlWebOptions } from '../crawlers/web/crawl-web.js';
import type { RawSnapshot } from '../pipeline/stage.js';
import type { RebuildConfig } from '../rebuild/rebuild-config.js';
import type { BandParams } from '../dedup/band-candidates.js';
import type { KeptDocRange } from '../corpus/kept-docs.js';
import type { ExportConfig } from '../export/export-options.js';
import type { ShardInfo } from '../export/shards.js';
import type { SplitName } from '../export/splits.js';

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
  /** Sign near-dedup in the shard (into its stage memo) so the coordinator does not. @default false */
  signNearDedup?: boolean;
}

/** One export part: the FIM transform and measurement of a slice of the kept documents, in export order. */
export interface ExportPartJobData {
  kind: 'export-part';
  store: string;
  dbPath: string;
  generation: number;
  /** The export's options as resolved (threads 1: it changes speed, never bytes). */
  config: ExportConfig;
  range: KeptDocRange;
  /** The slice's repositories held out for validation (the coordinator's split plan). */
  validation: string[];
}

/** One output shard of an export, written from the records the parts measured. */
export interface ExportShardJobData {
  kind: 'export-shard';
  store: string;
  outDir: string;
  name: string;
  split: SplitName;
  shape: Pick<ExportConfig, 'format' | 'compress' | 'repoLevel'>;
  /** The shard's records: of `split`, seq from..to of each part, in this order. */
  parts: Array<{ id: string; from: number; to: number }>;
}

/** One GitHub repository crawled (API through the shared limiter, archive) into its own shard. */
export interface GithubJobData {
  kind: 'github';
  store: string;
  /** The corpus the job reads its repository's ETags and last ingest from (never written). */
  dbPath: string;
  apiUrl: string;
  /** owner/name as queued. */
  repo: string;
  /** The search item, when the search gave one (saves a request). */
  meta: unknown;
  /** `--langs` as given. */
  langs: string;
  maxFileBytes: number;
  maxArchiveBytes: number;
  retryAfterBaseMs: number;
  /** The limiter all workers share: requests start at least this far apart, across all of them. */
  limiter: { id: string; minTimeMs: number; maxConcurrent: number };
}

/** One literature document: a PDF (`crawl pdf`) or a web page (`crawl web`), extracted without touching the corpus. */
export interface LiteratureJobData {
  kind: 'literature';
  store: string;
  source: 'pdf' | 'web';
  /** `crawl pdf`: the document (a local path, or `fetch`: the URL as given). */
  pdf?: PdfTarget;
  pdfOptions?: Omit<CrawlPdfOptions, 'target' | 'progress'>;
  /** `crawl web`: the page URL. */
  url?: string;
  web?: Pick<CrawlWebOptions, 'userAgent' | 'timeoutMs' | 'maxPageBytes' | 'delayMs'>;
}

/** One range of near-dedup's LSH bands over every signature of a rebuild (queue/near-dedup-bands-job.ts). */
export interface NearDedupBandsJobData {
  kind: 'near-dedup-bands';
  store: string;
  /** The coordinator's signature set in the store (absolute path of its `.db`: signatures, read for bucket members only). */
  input: string;
  /** The set's document list (ordinal, stable key per banded document). */
  docsFile: string;
  /** The set's key file of each band in [firstBand, lastBand), in band order: the only band data the job reads. */
  bandFiles: string[];
  firstBand: number;
  /** Exclusive. */
  lastBand: number;
  params: BandParams;
}

export type JobData = CrawlJobData | RebuildShardJobData | ExportPartJobData | ExportShardJobData | GithubJobData | LiteratureJobData | NearDedupBandsJobData;

/** What a finished job reports (also written into its completion marker). */
export interface JobSummary {
  id: string;
  kind: JobData['kind'];
  /** Files crawled, documents run through the per-document stages, or records exported. */
  items: number;
  ms: number;
  /** CPU the job used, its tool processes included (queue/cpu-time.ts). */
  cpuMs?: number;
  /** True when the output was already in the store (a repeated job). */
  reused?: boolean;
  /** A GitHub job: what became of the repository. */
  outcome?: unknown;
  /** A GitHub job: API requests it sent. */
  requests?: number;
  /** An export shard job: the shard as the manifest lists it. */
  shard?: ShardInfo;
  /** A near-dedup band partition: the pairs it published. */
  candidates?: { edges: number; undecided: number; rejected: number };
  /** A near-dedup band partition: bytes it read from the signature set, and how many signatures among them. */
  read?: { bytes: number; signatures: number };
}
