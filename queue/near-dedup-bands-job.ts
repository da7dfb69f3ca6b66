import { rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { partitionCandidates, type BandCandidates, type BandMerger, type BandParams, type SignedDoc } from '../dedup/band-candidates.js';
import { lruCache } from '../dedup/near-dedup-cluster.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { runJobs, type PlannedJob } from './coordinator.js';
import { cpuMsNow } from './cpu-time.js';
import { makeJobId } from './job-id.js';
import type { JobSummary, NearDedupBandsJobData } from './job-types.js';
import { bandExt, createCandidateFile, DOCS_EXT, openPartitionInput, readCandidateFiles, writeSignatureSet } from './near-dedup-bands-store.js';
import type { QueueConnection } from './queue-url.js';
import type { JobStore } from './store-dir.js';

export const NEAR_DEDUP_BANDS_KIND = 'near-dedup-bands';
/** The store folder of the coordinator's signature inputs (content-addressed, one per distinct input). */
export const NEAR_DEDUP_SIGS_KIND = 'near-dedup-sigs';

/** Band-partition jobs per rebuild: each reads every signature once, so a few large partitions, not one per band. @default 4 */
export const DEFAULT_BAND_PARTITIONS = 4;

/** Worker side: the bucket walk of one range of bands, reading only those bands' key files (and the signatures of bucket members); its candidate pairs go to the store. */
export async function runNearDedupBandsJob(d: NearDedupBandsJobData, store: JobStore, id: string): Promise<JobSummary> {
  const started = performance.now();
  const cpu0 = cpuMsNow();
  const bandFiles: Record<number, string> = {};
  d.bandFiles.forEach((path, i) => (bandFiles[d.firstBand + i] = path));
  const input = openPartitionInput(d.input, d.docsFile, bandFiles);
  const temp = store.tempPath(NEAR_DEDUP_BANDS_KIND, id);
  const out = createCandidateFile(temp);
  let counts;
  try {
    // Buckets revisit their anchors; signatures are read from the set only for bucket members (1 kB each at 256 positions).
    const sig = lruCache((ord) => input.signature(ord), 4096);
    counts = partitionCandidates(input, d.firstBand, d.lastBand, d.params, sig, out);
  } finally {
    out.close();
    input.close();
  }
  // Test hook: holds the finished partition unpublished so a test can kill its worker (or Redis) midway.
  const delayMs = Number(process.env.INCORPUS_DEBUG_BANDS_DELAY_MS ?? 0);
  if (delayMs > 0) await sleep(delayMs);
  const summary: JobSummary = {
    id, kind: 'near-dedup-bands', items: counts.buckets, ms: Math.round(performance.now() - started), cpuMs: Math.round(cpuMsNow() - cpu0),
    candidates: { edges: counts.edges, undecided: counts.undecided, rejected: counts.rejected },
    read: { bytes: input.bytesRead(), signatures: input.signaturesRead() },
  };
  store.publish(NEAR_DEDUP_BANDS_KIND, id, temp, summary);
  return summary;
}

/** Contiguous band ranges [first, last), as even as possible, in band order. */
export function planBandPartitions(bands: number, partitions: number): Array<{ first: number; last: number }> {
  const n = Math.max(1, Math.min(bands, partitions));
  return Array.from({ length: n }, (_, i) => ({ first: Math.floor((i * bands) / n), last: Math.floor(((i + 1) * bands) / n) }));
}

export interface QueuedBandMergerOptions {
  connection: QueueConnection;
  store: JobStore;
  /** @default DEFAULT_BAND_PARTITIONS */
  partitions?: number;
  progress?: Progress;
}

/** What the band partitions did, for the rebuild summary. */
export interface BandMergeReport {
  partitions: number;
  /** Documents in the signature set. */
  docs: number;
  edges: number;
  undecided: number;
  /** Bytes of the whole signature set (signatures, documents, every band file). */
  setBytes: number;
  /** Bytes the partition jobs read from it, all together (each reads its own bands, the document list and its bucket members' signatures). */
  bytesRead: number;
  /** Signatures the partition jobs read, all together (bucket members, verify estimate/hybrid only). */
  signaturesRead: number;
}

/**
 * Near-dedup's pass 2 as jobs, the way datatrove splits it: its
 * `MinhashDedupBuckets` step runs one task per bucket range over the
 * signatures of every input shard, emitting duplicate pairs, and a single
 * `MinhashDedupCluster` task union-finds them. Here the coordinator's
 * near-dedup stage hands over its signatures (written once into the store,
 * named by their content), each partition job walks the buckets of its band
 * range (dedup/band-candidates.ts) and publishes candidate pairs, and the
 * stage union-finds them and applies the keep rule as in-process. Plain jobs
 * through runJobs, not a BullMQ FlowProducer: the parent's work (union-find,
 * exact checks against texts, keep decisions) belongs in the coordinator's
 * generation, and runJobs reads completion from the store's markers, so
 * Redis losing a flow's parent/child bookkeeping could never stall it.
 */
export function createQueuedBandMerger(opts: QueuedBandMergerOptions): BandMerger & { report(): BandMergeReport | null } {
  let last: BandMergeReport | null = null;
  return {
    report: () => last,
    async merge(docs: () => Iterable<SignedDoc>, params: BandParams): Promise<BandCandidates> {
      const { inputId, docs: count, bytes } = publishSignatureSet(opts.store, docs(), params);
      const sig = (ext: string): string => opts.store.shardPath(NEAR_DEDUP_SIGS_KIND, inputId, ext);
      const jobs: PlannedJob[] = planBandPartitions(params.bands, opts.partitions ?? DEFAULT_BAND_PARTITIONS).map((r) => {
        const bandFiles = Array.from({ length: r.last - r.first }, (_, i) => sig(bandExt(r.first + i)));
        const data: NearDedupBandsJobData = { kind: 'near-dedup-bands', store: opts.store.root, input: sig('db'), docsFile: sig(DOCS_EXT), bandFiles, firstBand: r.first, lastBand: r.last, params };
        return { id: makeJobId(NEAR_DEDUP_BANDS_KIND, [inputId, r.first, r.last, params]), kind: NEAR_DEDUP_BANDS_KIND, data, label: `bands ${r.first}-${r.last - 1}` };
      });
      await runJobs(jobs, { connection: opts.connection, store: opts.store, progress: opts.progress ?? silentProgress });
      const report: BandMergeReport = { partitions: jobs.length, docs: count, edges: 0, undecided: 0, setBytes: bytes, bytesRead: 0, signaturesRead: 0 };
      for (const j of jobs) {
        const s = opts.store.readSummary(NEAR_DEDUP_BANDS_KIND, j.id) as JobSummary;
        report.edges += s.candidates?.edges ?? 0;
        report.undecided += s.candidates?.undecided ?? 0;
        report.bytesRead += s.read?.bytes ?? 0;
        report.signaturesRead += s.read?.signatures ?? 0;
      }
      last = report;
      return readCandidateFiles(jobs.map((j) => opts.store.shardPath(NEAR_DEDUP_BANDS_KIND, j.id)));
    },
  };
}

/**
 * Writes the signature set under temporary names, names it by its content
 * and publishes it (signatures, documents, band files, then the marker); an
 * identical set already in the store is reused. Returns its id and size.
 */
function publishSignatureSet(store: JobStore, docs: Iterable<SignedDoc>, params: BandParams): { inputId: string; docs: number; bytes: number } {
  const temp = { db: store.tempPath(NEAR_DEDUP_SIGS_KIND, 'input'), docs: store.tempPath(NEAR_DEDUP_SIGS_KIND, 'input', DOCS_EXT), bands: new Map<number, string>() };
  const band = (b: number): string => {
    if (!temp.bands.has(b)) temp.bands.set(b, store.tempPath(NEAR_DEDUP_SIGS_KIND, 'input', bandExt(b)));
    return temp.bands.get(b)!;
  };
  const written = writeSignatureSet({ db: temp.db, docs: temp.docs, band }, docs, params.bands, params.rows);
  const inputId = `${NEAR_DEDUP_SIGS_KIND}-${written.digest.slice(0, 40)}`;
  const side = [{ ext: DOCS_EXT, temp: temp.docs }, ...[...temp.bands].map(([b, t]) => ({ ext: bandExt(b), temp: t }))];
  if (store.isDone(NEAR_DEDUP_SIGS_KIND, inputId)) for (const t of [temp.db, ...side.map((f) => f.temp)]) rmSync(t, { force: true });
  else store.publish(NEAR_DEDUP_SIGS_KIND, inputId, temp.db, { docs: written.docs }, side);
  const bytes = ['db', ...side.map((f) => f.ext)].reduce((sum, ext) => sum + statSync(store.shardPath(NEAR_DEDUP_SIGS_KIND, inputId, ext)).size, 0);
  return { inputId, docs: written.docs, bytes };
}
