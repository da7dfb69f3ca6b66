import type { Datum } from './chart-specs.js';
import type { Figure, Section } from './page-model.js';
import type { ReportData } from './report-data.js';

/** Cluster sizes 2–4 exactly, then powers of two (5–8, 9–16, …): heavy tails stay on one screen. */
export function sizeBin(size: number): { label: string; order: number } {
  if (size <= 4) return { label: String(size), order: size };
  const hi = 2 ** Math.ceil(Math.log2(size));
  return { label: `${hi / 2 + 1}–${hi}`, order: hi };
}

/** Duplicate clusters (every dedup stage that names the kept copy) and repository fork families. */
export function dupSection(d: ReportData): Section {
  const { sizes, largest } = d.clusters;
  const binned = new Map<string, { stage: string; bin: string; order: number; clusters: number; files: number }>();
  for (const s of sizes) {
    const b = sizeBin(s.size);
    const key = `${s.stage}\u0000${b.label}`;
    const cur = binned.get(key) ?? { stage: s.stage, bin: b.label, order: b.order, clusters: 0, files: 0 };
    cur.clusters += s.clusters;
    cur.files += s.clusters * s.size;
    binned.set(key, cur);
  }
  const bins = [...binned.values()].sort((a, b) => a.order - b.order || (a.stage < b.stage ? -1 : 1));
  const binOrder = [...new Set(bins.map((b) => b.bin))];
  const clusters = sizes.reduce((n, s) => n + s.clusters, 0);
  return {
    id: 'duplicates',
    title: 'Duplicate clusters and fork families',
    intro: `${clusters.toLocaleString('en-US')} clusters: a kept copy and every file a dedup stage dropped in its favour (its recorded duplicateOf). ${d.families.families.toLocaleString('en-US')} repository families (forks and repositories sharing most files) were consolidated to a canonical repository.`,
    figures: [
      {
        id: 'fig-cluster-sizes',
        title: 'Cluster size distribution (members including the kept copy)',
        chart: bins.length ? { data: bins.map((b): Datum => ({ size: b.bin, stage: b.stage, clusters: b.clusters })), y: 'size', yTitle: 'cluster size', yOrder: binOrder, x: 'clusters', xTitle: 'clusters', color: 'stage', colorTitle: 'stage' } : null,
        empty: 'No duplicate was dropped.',
        table: { head: ['stage', 'size', 'clusters', 'files in them'], rows: bins.map((b) => [b.stage, b.bin, b.clusters, b.files]) },
      },
      largestFigure(largest),
      familiesFigure(d.families),
    ],
  };
}

function largestFigure(largest: ReportData['clusters']['largest']): Figure {
  const label = (c: (typeof largest)[number]): string => (c.repo !== null ? `${c.repo}:${c.path ?? '?'}` : c.kept);
  const data = largest.map((c): Datum => ({ kept: label(c), stage: c.stage, members: c.size }));
  return {
    id: 'fig-largest-clusters',
    title: 'Largest clusters, by kept copy',
    chart: data.length ? { data, y: 'kept', yTitle: 'kept copy', yOrder: data.map((r) => String(r.kept)), x: 'members', xTitle: 'members', color: 'stage', colorTitle: 'stage' } : null,
    empty: 'No duplicate was dropped.',
    table: { head: ['stage', 'members', 'kept copy', 'id'], rows: largest.map((c) => [c.stage, c.size, label(c), c.kept]) },
  };
}

function familiesFigure(f: ReportData['families']): Figure {
  const data = f.largest.map((x): Datum => ({ family: x.canonical, repositories: x.repos }));
  return {
    id: 'fig-families',
    title: 'Largest repository families (canonical repository)',
    chart: data.length ? { data, y: 'family', yTitle: 'canonical repository', yOrder: data.map((r) => String(r.family)), x: 'repositories', xTitle: 'repositories in the family' } : null,
    empty: 'No repository family: no forks and no repositories sharing most of their files.',
    table: {
      head: ['canonical', 'repositories', 'members'],
      rows: f.largest.map((x) => [x.canonical, x.repos, x.members.join(', ') + (x.repos > x.members.length ? ', …' : '')]),
      ...(f.families > f.largest.length ? { omitted: f.families - f.largest.length } : {}),
    },
  };
}
