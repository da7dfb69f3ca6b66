import type { Datum } from './chart-specs.js';
import { capRows, formatBytes, formatShare, type Figure, type Section } from './page-model.js';
import { totals, type ReportData } from './report-data.js';

/** Languages drawn one bar each; smaller ones are summed into "other". */
const MAX_LANGS = 20;

/** What the kept corpus is made of: language by domain, in files and in bytes. */
export function mixSection(d: ReportData): Section {
  const kept = d.verdicts.filter((v) => v.verdict === 'keep');
  const keptFiles = kept.reduce((n, v) => n + v.files, 0);
  const keptBytes = kept.reduce((n, v) => n + v.bytes, 0);
  const cells = totals(kept, (v) => `${v.lang}\u0000${v.domain}`, (v) => v.files);
  const bytes = new Map(totals(kept, (v) => `${v.lang}\u0000${v.domain}`, (v) => v.bytes));
  const table = {
    head: ['language', 'domain', 'files', 'of kept files', 'bytes', 'of kept bytes'],
    ...capRows(
      cells.map(([k, n]) => {
        const [lang, domain] = k.split('\u0000') as [string, string];
        const b = bytes.get(k) ?? 0;
        return [lang, domain, n, formatShare(n, keptFiles), formatBytes(b), formatShare(b, keptBytes)];
      }),
      300,
    ),
  };
  return {
    id: 'mix',
    title: 'Domain × language of the kept files',
    intro: `${keptFiles.toLocaleString('en-US')} kept files, ${formatBytes(keptBytes)} as crawled (before normalization). Language and domain are decided at rebuild from extension and content.`,
    figures: [
      mixFigure('fig-mix-files', 'Kept files by language and domain', kept, (v) => v.files, 'files', 'count', table),
      mixFigure('fig-mix-bytes', 'Kept bytes by language and domain', kept, (v) => v.bytes, 'bytes', 'bytes', {
        head: ['domain', 'files', 'bytes', 'of kept bytes'],
        rows: totals(kept, (v) => v.domain, (v) => v.bytes).map(([dom, b]) => [dom, kept.filter((v) => v.domain === dom).reduce((n, v) => n + v.files, 0), formatBytes(b), formatShare(b, keptBytes)]),
      }),
    ],
  };
}

function mixFigure(id: string, title: string, kept: ReportData['verdicts'], value: (v: ReportData['verdicts'][number]) => number, unit: string, format: 'count' | 'bytes', table: Figure['table']): Figure {
  const langs = totals(kept, (v) => v.lang, value);
  const top = new Set(langs.slice(0, MAX_LANGS).map(([l]) => l));
  const other = `other (${Math.max(0, langs.length - MAX_LANGS)} languages)`;
  const data: Datum[] = totals(kept, (v) => `${top.has(v.lang) ? v.lang : other}\u0000${v.domain}`, value).map(([k, n]) => ({
    language: k.split('\u0000')[0]!,
    domain: k.split('\u0000')[1]!,
    [unit]: n,
  }));
  return {
    id,
    title,
    chart: data.length ? { data, y: 'language', yTitle: 'language', x: unit, xTitle: unit, xFormat: format, color: 'domain', colorTitle: 'domain' } : null,
    empty: 'No file was kept.',
    table,
  };
}
