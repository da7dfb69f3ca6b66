import type { Cell, Figure, ReportPage, SampleSection, Section, Table } from './page-model.js';

/** Marks an index.html as ours, so a later report may overwrite it and nothing else. */
export const REPORT_MARKER = '<!-- incorpus corpus report -->';

/**
 * The one template of the report. Self-contained by construction: inline CSS,
 * inline SVG, no script, and a Content-Security-Policy that forbids every
 * fetch (images, fonts, styles, frames), so even a crawled string that slipped
 * through escaping could neither run nor call home.
 */
export function renderPage(page: ReportPage, svgs: ReadonlyMap<string, string>): string {
  const toc = [...page.sections, ...page.samples].map((s) => `<a href="#${s.id}">${esc(s.title)}</a>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(page.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    REPORT_MARKER,
    `<header><h1>${esc(page.title)}</h1><p class="sub">${esc(page.subtitle)}</p>`,
    `<dl class="summary">${page.summary.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`,
    `<nav>${toc}</nav></header>`,
    '<main>',
    ...page.sections.map((s) => renderSection(s, svgs)),
    ...page.samples.map(renderSamples),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderSection(s: Section, svgs: ReadonlyMap<string, string>): string {
  return `<section id="${s.id}"><h2>${esc(s.title)}</h2><p class="intro">${esc(s.intro)}</p>\n${s.figures.map((f) => renderFigure(f, svgs.get(f.id))).join('\n')}</section>`;
}

function renderFigure(f: Figure, svg: string | undefined): string {
  const note = f.note ? `<p class="note">${esc(f.note)}</p>` : '';
  if (!svg && f.table.rows.length === 0) {
    return `<figure id="${f.id}"><figcaption>${esc(f.title)}</figcaption><div class="chart empty"><p>${esc(f.empty ?? 'Nothing to draw.')}</p></div>${note}</figure>`;
  }
  const chart = svg
    ? `<div class="chart" role="img" aria-label="${esc(f.title)}">${svg}</div>`
    : `<div class="chart empty"><p>${esc(f.empty ?? 'Nothing to draw.')}</p></div>`;
  return `<figure id="${f.id}"><figcaption>${esc(f.title)}</figcaption><div class="pair">${chart}<div class="numbers">${renderTable(f.table)}</div></div>${note}</figure>`;
}

function renderTable(t: Table): string {
  if (t.rows.length === 0) return '<p class="none">no rows</p>';
  const numeric = t.head.map((_, i) => t.rows.every((r) => r[i] === null || typeof r[i] === 'number' || (typeof r[i] === 'string' && NUMERIC.test(r[i] as string))));
  const th = t.head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${cell(c)}</td>`).join('')}</tr>`).join('');
  const more = t.omitted ? `<p class="note">${t.omitted.toLocaleString('en-US')} more rows not shown.</p>` : '';
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table>${more}`;
}

/** Formatted quantities ("1.41 MB", "17.4 %", "–") align right like numbers. */
const NUMERIC = /^(–|[\d.,]+\u00a0(%|B|kB|MB|GB|TB))$/;

function cell(c: Cell): string {
  if (c === null) return '–';
  if (typeof c === 'number') return c.toLocaleString('en-US');
  if (typeof c === 'string') return esc(c);
  return `<a href="${esc(c.href)}">${esc(c.text)}</a>`;
}

function renderSamples(s: SampleSection): string {
  const groups = s.groups.map((g) => {
    const items = g.entries.map((e) => `<li><code>${esc(e.where)}</code> <span class="id">${esc(e.docId)}</span><br><span class="why">${esc(e.why)}</span></li>`).join('');
    const shown = g.entries.length < g.total ? ` (${g.entries.length} of ${g.total.toLocaleString('en-US')} shown)` : ` (${g.total.toLocaleString('en-US')})`;
    return `<div class="sample" id="${g.id}"><h3>${esc(g.title)}<span class="count">${shown}</span></h3><ol>${items}</ol></div>`;
  });
  const body = groups.length ? groups.join('\n') : '<p class="none">nothing to sample</p>';
  return `<section id="${s.id}" class="samples"><h2>${esc(s.title)}</h2><p class="intro">${esc(s.intro)}</p>\n${body}</section>`;
}

/** HTML-escapes text and attribute values (every string that came from the corpus goes through here). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --band: #f6f8fa; --link: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 20px 28px 10px; border-bottom: 1px solid var(--line); background: var(--band); }
h1 { font-size: 22px; margin: 0 0 2px; } h2 { font-size: 18px; margin: 28px 0 4px; } h3 { font-size: 14px; margin: 14px 0 4px; }
.sub, .intro, .note, .none, .count, .id { color: var(--muted); } .intro { margin: 0 0 10px; max-width: 70em; }
.summary { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 12px 0; } .summary div { min-width: 8em; }
.summary dt { font-size: 12px; color: var(--muted); } .summary dd { margin: 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
nav { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; } a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
main { padding: 0 28px 40px; max-width: 1500px; }
figure { margin: 14px 0 22px; } figcaption { font-weight: 600; margin-bottom: 6px; }
.pair { display: grid; grid-template-columns: fit-content(660px) minmax(0, 1fr); gap: 24px; align-items: start; }
@media (max-width: 1100px) { .pair { grid-template-columns: minmax(0, 1fr); } }
.chart svg { max-width: 100%; height: auto; display: block; }
.chart.empty { border: 1px dashed var(--line); border-radius: 6px; padding: 4px 18px; color: var(--muted); max-width: 640px; }
.numbers { max-height: 520px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { position: sticky; top: 0; background: var(--band); font-weight: 600; } td.n, th.n { text-align: right; white-space: nowrap; }
.numbers .note { margin: 6px 8px; font-size: 12px; }
.samples ol { margin: 0; padding-left: 22px; } .samples li { margin: 2px 0 6px; }
code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; } .id { font-size: 11px; }
.why { font-size: 12.5px; overflow-wrap: anywhere; } .sample { scroll-margin-top: 8px; } .sample:target { background: #fff8c5; }
`;
