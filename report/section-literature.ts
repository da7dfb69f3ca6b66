import type { Datum } from './chart-specs.js';
import { capRows, type Section } from './page-model.js';
import { totals, type ReportData } from './report-data.js';

const MAX_DOCS = 20;

/** Code snippets from PDFs and web pages: per document, and read from the text layer or by OCR. */
export function literatureSection(d: ReportData): Section {
  const { groups, docs } = d.literature;
  const name = (g: (typeof groups)[number]): string => `${shortUri(g.document)}${g.title ? ` — ${g.title}` : ''}`;
  const byDoc = totals(groups, name, (g) => g.snippets);
  const top = new Set(byDoc.slice(0, MAX_DOCS).map(([k]) => k));
  const other = `other (${Math.max(0, byDoc.length - MAX_DOCS)} documents)`;
  const data: Datum[] = totals(groups, (g) => `${top.has(name(g)) ? name(g) : other}\u0000${g.method}`, (g) => g.snippets).map(([k, n]) => ({
    document: k.split('\u0000')[0]!, method: k.split('\u0000')[1]!, snippets: n,
  }));
  const bySource = totals(groups, (g) => `${g.kind}\u0000${g.method}`, (g) => g.snippets);
  const keptBySource = new Map(totals(groups, (g) => `${g.kind}\u0000${g.method}`, (g) => g.kept));
  const snippets = groups.reduce((n, g) => n + g.snippets, 0);
  return {
    id: 'literature',
    title: 'Literature snippets by source and reading method',
    intro: snippets
      ? `${snippets.toLocaleString('en-US')} code snippets from ${docs.reduce((n, x) => n + x.documents, 0).toLocaleString('en-US')} PDF and web documents; the method is how the text was read (PDF text layer first, OCR only for pages without one, HTML for web pages).`
      : 'No PDF or web document has been crawled (incorpus crawl pdf, crawl web).',
    figures: [
      {
        id: 'fig-literature-source',
        title: 'Snippets by source kind and method',
        chart: bySource.length ? { data: bySource.map(([k, n]) => ({ source: k.split('\u0000')[0]!, method: k.split('\u0000')[1]!, snippets: n })), y: 'source', yTitle: 'source', x: 'snippets', xTitle: 'snippets', color: 'method', colorTitle: 'method' } : null,
        empty: 'No literature snippet.',
        table: {
          head: ['source', 'method', 'snippets', 'kept'],
          rows: bySource.map(([k, n]) => [k.split('\u0000')[0]!, k.split('\u0000')[1]!, n, keptBySource.get(k) ?? 0]),
        },
      },
      {
        id: 'fig-literature-docs',
        title: 'Snippets per document',
        chart: data.length ? { data, y: 'document', yTitle: 'document', x: 'snippets', xTitle: 'snippets', color: 'method', colorTitle: 'method' } : null,
        empty: 'No literature snippet.',
        table: {
          head: ['document', 'method', 'snippets', 'kept'],
          ...capRows(groups.map((g) => [g.document, g.method, g.snippets, g.kept]), 200),
        },
        note: docs.length
          ? `Documents by crawl status: ${docs.map((x) => `${x.kind} ${x.status} ${x.documents} (${x.pages} pages: ${x.pagesText} text layer, ${x.pagesOcr} OCR)`).join('; ')}.`
          : undefined,
      },
    ],
  };
}

/** The file name of a path or URL: enough to recognize a document in a chart label (the table has the whole). */
function shortUri(uri: string): string {
  return uri.split(/[\\/]/).filter(Boolean).pop() ?? uri;
}
