import type { Datum } from './chart-specs.js';
import { type Cell, type Section } from './page-model.js';
import { sampleAnchor, totals, type ReportData } from './report-data.js';

/** PII the pii stage replaced in kept files, by kind and domain. */
export function piiSection(d: ReportData): Section {
  const r = d.redactions;
  const sampled = new Set(d.samples.redactions.map((e) => e.key[0]));
  const link = (k: string): Cell => (sampled.has(k) ? { text: k, href: `#${sampleAnchor.pii(k)}` } : k);
  const kinds = totals(r, (x) => x.kind, (x) => x.count);
  const files = new Map(totals(r, (x) => x.kind, (x) => x.files));
  const data: Datum[] = r.map((x) => ({ kind: x.kind, domain: x.domain, redactions: x.count }));
  const total = kinds.reduce((n, [, c]) => n + c, 0);
  return {
    id: 'pii',
    title: 'PII redactions by kind',
    intro: total
      ? `${total.toLocaleString('en-US')} values replaced by placeholders (<EMAIL>, <KEY>, synthetic private IPs, …) in kept files; a kind links to a sample of the files, with the rules that fired.`
      : 'The pii stage replaced nothing in the kept files.',
    figures: [
      {
        id: 'fig-pii',
        title: 'Redactions by kind and domain',
        chart: data.length ? { data, y: 'kind', yTitle: 'kind', x: 'redactions', xTitle: 'redactions', color: 'domain', colorTitle: 'domain' } : null,
        empty: 'No redaction.',
        table: {
          head: ['kind', 'domain', 'redactions', 'files'],
          rows: [
            ...kinds.map(([k, c]): Cell[] => [link(k), 'all', c, files.get(k) ?? 0]),
            ...r.map((x): Cell[] => [x.kind, x.domain, x.count, x.files]),
          ],
        },
      },
    ],
  };
}
