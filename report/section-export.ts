import type { Datum } from './chart-specs.js';
import { capRows, formatBytes, formatShare, type Section } from './page-model.js';
import type { ReportData } from './report-data.js';

const MAX_SHARDS = 40;

/** The export's shards and FIM mix, from its manifest.json. */
export function exportSection(d: ReportData): Section {
  const e = d.export;
  if (!e) {
    return {
      id: 'export',
      title: 'Export: shards and FIM mix',
      intro: 'No export shown: “incorpus export --out DIR” writes this report next to its dataset card, and “incorpus report --export DIR” shows any export.',
      figures: [],
    };
  }
  const m = e.manifest;
  const c = m.config;
  const stale = m.generation !== d.generation.id ? ` This export was made from generation ${m.generation}, not the current generation ${d.generation.id}: re-export to match.` : '';
  const shards = m.files.slice(0, MAX_SHARDS).map((f): Datum => ({ shard: f.name, split: f.split, bytes: f.fileBytes }));
  const fim = Object.entries(m.fim).map(([mode, n]) => ({ part: `mode: ${mode}`, kind: 'FIM mode', n }));
  const spans = Object.entries(m.fimSpans).map(([span, n]) => ({ part: `span: ${span}`, kind: 'FIM span', n }));
  const fimTotal = Object.values(m.fim).reduce((a, b) => a + b, 0);
  return {
    id: 'export',
    title: 'Export: shards and FIM mix',
    intro: `${m.records.toLocaleString('en-US')} records, ${formatBytes(m.bytes)} of text${m.tokens !== undefined ? `, ${m.tokens.toLocaleString('en-US')} tokens` : ''} in ${m.files.length} shards (${c.format ?? '?'}${c.compress && c.compress !== 'none' ? `, ${c.compress}` : ''}); FIM rate ${c.fimRate ?? '?'}, SPM share ${c.spmRate ?? '?'}, spans ${c.fimSpans ?? '?'}, tokens ${c.fimTokens ?? '?'}, seed ${c.seed ?? '?'}. Read from ${e.from}.${stale}`,
    figures: [
      {
        id: 'fig-shards',
        title: 'Shard sizes on disk',
        chart: shards.length ? { data: shards, y: 'shard', yTitle: 'shard', yOrder: shards.map((s) => String(s.shard)), x: 'bytes', xTitle: 'bytes on disk', xFormat: 'bytes', color: 'split', colorTitle: 'split' } : null,
        empty: 'The export wrote no shard (nothing matched its selection).',
        table: {
          head: ['shard', 'split', 'records', 'text bytes', 'on disk'],
          ...capRows(m.files.map((f) => [f.name, f.split, f.records, formatBytes(f.bytes), formatBytes(f.fileBytes)]), 500),
        },
        ...(m.files.length > MAX_SHARDS ? { note: `The chart shows the first ${MAX_SHARDS} of ${m.files.length} shards.` } : {}),
      },
      {
        id: 'fig-fim',
        title: 'FIM mode and span mix (per document)',
        chart: fimTotal > 0 ? { data: [...fim, ...spans], y: 'part', yTitle: '', yOrder: [...fim, ...spans].map((r) => r.part), x: 'n', xTitle: 'documents', color: 'kind', colorTitle: '' } : null,
        empty: 'No document was exported.',
        table: {
          head: ['FIM', 'documents', 'share'],
          rows: [...fim.map((r) => [r.part, r.n, formatShare(r.n, fimTotal)]), ...spans.map((r) => [r.part, r.n, formatShare(r.n, fimTotal)])],
        },
      },
    ],
  };
}
