import type { Db } from '../corpus/db.js';
import { requireGeneration } from '../corpus/generations.js';
import { collectReportFacts } from '../corpus/report-facts.js';
import {
  getClusterSizes, getForkFamilies, getKeptGroups, getRawTotals, getRedactionGroups, getVerdictGroups,
  type ClusterSizeGroup, type ForkFamily, type KeptGroup, type LargestCluster, type RedactionGroup, type VerdictGroup,
} from '../corpus/report-aggregates.js';
import { getLiteratureGroups, type LiteratureDocSummary, type LiteratureGroup } from '../corpus/report-literature.js';
import { sampleDrops, sampleLicenses, sampleRedactions, sampleVerification, type SampleEntry } from '../corpus/report-samples.js';
import type { ExportView } from './export-manifest.js';
import { slug } from './page-model.js';

/** One stage's counters as the rebuild recorded them (pipeline/stats vocabulary). */
export interface StageCounts {
  name: string;
  seen: number;
  kept: number;
  dropped: number;
  droppedBy: Record<string, number>;
}

/** Everything the page shows: one scan of the verdicts (corpus/report-facts.ts), then small grouped queries. */
export interface ReportData {
  generation: { id: number; finishedAt: string | null; seen: number; kept: number; dropped: number; stages: StageCounts[] };
  raw: { repos: number; files: number; bytes: number };
  verdicts: VerdictGroup[];
  kept: KeptGroup[];
  redactions: RedactionGroup[];
  clusters: { sizes: ClusterSizeGroup[]; largest: LargestCluster[] };
  families: { families: number; largest: ForkFamily[] };
  literature: { groups: LiteratureGroup[]; docs: LiteratureDocSummary[] };
  samples: { drops: SampleEntry[]; verification: SampleEntry[]; licenses: SampleEntry[]; redactions: SampleEntry[] };
  /** The export shown in the export section, and where it was read from. */
  export: { manifest: ExportView; from: string } | null;
}

export interface GatherOptions {
  /** Files listed per reason, status or kind. @default 10 */
  samples?: number;
  /** Largest clusters and fork families listed. @default 15 */
  largest?: number;
  export?: { manifest: ExportView; from: string } | null;
  /** A retained generation instead of the current one. @default the current */
  generation?: number;
}

/** Reads the generation's numbers for the report (the current one by default); a corpus without one is a CorpusError. */
export function gatherReportData(db: Db, opts: GatherOptions = {}): ReportData {
  const gen = requireGeneration(db, opts.generation);
  const per = opts.samples ?? 10;
  const largest = opts.largest ?? 15;
  const s = (gen.stats ?? {}) as { seen?: number; kept?: number; dropped?: number; stages?: Record<string, Partial<StageCounts>> };
  const stages = Object.entries(s.stages ?? {}).map(([name, c]) => ({
    name, seen: c.seen ?? 0, kept: c.kept ?? 0, dropped: c.dropped ?? 0, droppedBy: c.droppedBy ?? {},
  }));
  const facts = collectReportFacts(db, gen.id);
  try {
    return {
      generation: { id: gen.id, finishedAt: gen.finishedAt, seen: s.seen ?? 0, kept: s.kept ?? 0, dropped: s.dropped ?? 0, stages },
      raw: getRawTotals(db),
      verdicts: getVerdictGroups(facts),
      kept: getKeptGroups(facts),
      redactions: getRedactionGroups(facts),
      clusters: getClusterSizes(facts, largest),
      families: getForkFamilies(db, gen.id, largest),
      literature: getLiteratureGroups(facts),
      samples: {
        drops: sampleDrops(facts, per),
        verification: sampleVerification(facts, per),
        licenses: sampleLicenses(facts, per),
        redactions: sampleRedactions(facts, per),
      },
      export: opts.export ?? null,
    };
  } finally {
    facts.close();
  }
}

/** Sums `value` of rows by `key`, largest first (ties by key): the usual first step of a chart. */
export function totals<T>(rows: readonly T[], key: (r: T) => string, value: (r: T) => number): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + value(r));
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Where the sample list of a group lives on the page (sections link to it). */
export const sampleAnchor = {
  drop: (stage: string, reason: string): string => anchor('drop', stage, reason),
  verify: (status: string): string => anchor('verify', status),
  license: (status: string): string => anchor('license', status),
  pii: (kind: string): string => anchor('pii', kind),
};

const anchor = (...parts: string[]): string => `s-${slug(...parts)}`;
