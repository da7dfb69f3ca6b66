import { statusColors, type Datum } from './chart-specs.js';
import { capRows, formatBytes, formatShare, type Cell, type Section } from './page-model.js';
import { sampleAnchor, totals, type ReportData } from './report-data.js';

/** Reasons drawn one bar each; the rest are summed into one bar (the table lists them all). */
const MAX_BARS = 24;

/** Kept and dropped through the stages, the reasons, and where each domain loses files. */
export function funnelSection(d: ReportData): Section {
  const g = d.generation;
  const stageRows: Datum[] = g.stages.flatMap((s) => [
    { stage: s.name, part: 'passed', files: s.kept },
    { stage: s.name, part: 'dropped here', files: s.dropped },
  ]);
  const drops = d.verdicts.filter((v) => v.verdict === 'drop');
  const reasons = totals(drops, (v) => `${v.stage ?? '?'}\u0000${v.reason}`, (v) => v.files);
  const reasonBytes = new Map(totals(drops, (v) => `${v.stage ?? '?'}\u0000${v.reason}`, (v) => v.bytes));
  const sampled = new Set(d.samples.drops.map((e) => e.key.join('\u0000')));
  const label = (k: string): string => k.replace('\u0000', ' / ');
  const shown = reasons.slice(0, MAX_BARS);
  const rest = reasons.slice(MAX_BARS).reduce((n, [, v]) => n + v, 0);
  const reasonRows: Datum[] = [
    ...shown.map(([k, n]) => ({ reason: label(k), stage: k.split('\u0000')[0]!, files: n })),
    ...(rest > 0 ? [{ reason: `other (${reasons.length - MAX_BARS} reasons)`, stage: 'other', files: rest }] : []),
  ];
  return {
    id: 'funnel',
    title: 'Kept and dropped, by stage and reason',
    intro: `Generation ${g.id}: ${g.seen.toLocaleString('en-US')} files entered the stages, ${g.kept.toLocaleString('en-US')} were kept. Every drop has one stage and one recorded reason; the reason links to a sample of dropped files with the recorded details.`,
    figures: [
      {
        id: 'fig-funnel',
        title: 'Files through the stages, in pipeline order',
        chart: stageRows.length ? { data: stageRows, y: 'stage', yTitle: 'stage', yOrder: g.stages.map((s) => s.name), x: 'files', xTitle: 'files', color: 'part', colorTitle: '', colors: statusColors(['passed', 'dropped here'], ['passed']) } : null,
        empty: 'The generation recorded no stage counters.',
        table: {
          head: ['stage', 'seen', 'passed', 'dropped', 'dropped of seen'],
          rows: g.stages.map((s) => [s.name, s.seen, s.kept, s.dropped, formatShare(s.dropped, s.seen)]),
        },
      },
      {
        id: 'fig-drop-reasons',
        title: 'Dropped files by stage and reason',
        chart: reasonRows.length ? { data: reasonRows, y: 'reason', yTitle: 'stage / reason', x: 'files', xTitle: 'files dropped', color: 'stage', colorTitle: 'stage' } : null,
        empty: 'Nothing was dropped.',
        table: {
          head: ['stage', 'reason', 'files', 'bytes', 'of seen'],
          rows: reasons.map(([k, n]): Cell[] => {
            const [stage, reason] = k.split('\u0000') as [string, string];
            const text = sampled.has(k) ? { text: reason, href: `#${sampleAnchor.drop(stage, reason)}` } : reason;
            return [stage, text, n, formatBytes(reasonBytes.get(k) ?? 0), formatShare(n, g.seen)];
          }),
        },
      },
      domainLossFigure(d),
    ],
  };
}

/** Per domain: files kept and files dropped by each stage. */
function domainLossFigure(d: ReportData): Section['figures'][number] {
  const byDomain = totals(d.verdicts, (v) => v.domain, (v) => v.files);
  const cells = totals(d.verdicts, (v) => `${v.domain}\u0000${v.verdict === 'keep' ? 'kept' : `dropped: ${v.stage ?? '?'}`}`, (v) => v.files);
  const parts = [...new Set(cells.map(([k]) => k.split('\u0000')[1]!))].sort((a, b) => (a === 'kept' ? -1 : b === 'kept' ? 1 : a < b ? -1 : 1));
  const rows = cells.map(([k, n]) => ({ domain: k.split('\u0000')[0]!, part: k.split('\u0000')[1]!, files: n }));
  const get = new Map(cells);
  return {
    id: 'fig-domain-loss',
    title: 'Kept and dropped files by domain',
    chart: rows.length ? { data: rows, y: 'domain', yTitle: 'domain', yOrder: byDomain.map(([k]) => k), x: 'files', xTitle: 'files', color: 'part', colorTitle: '', colors: statusColors(parts, ['kept']) } : null,
    table: {
      head: ['domain', 'files', ...parts],
      ...capRows(byDomain.map(([dom, n]) => [dom, n, ...parts.map((p) => get.get(`${dom}\u0000${p}`) ?? 0)]), 200),
    },
  };
}
