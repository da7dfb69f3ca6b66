import { statusColors, type Datum } from './chart-specs.js';
import { capRows, formatShare, type Cell, type Figure, type Section } from './page-model.js';
import { sampleAnchor, totals, type ReportData } from './report-data.js';
import type { KeptGroup } from '../corpus/report-aggregates.js';

/** The status verify-stats.ts and `export --verified` count as a pass. */
const PASS = 'compiles';
const MAX_GROUPS = 20;

type Group = 'lang' | 'domain';

/**
 * Toolchain outcomes of the kept files, standalone vs in repository context.
 * Statuses are drawn as recorded, so a new failure class gets its own colour.
 */
export function verificationSection(d: ReportData): Section {
  const checked = d.kept.filter((k) => k.verify !== null);
  const statuses = totals(checked, (k) => k.verify!, (k) => k.files).map(([s]) => s);
  const colors = statusColors(statuses.includes(PASS) ? [PASS, ...statuses.filter((s) => s !== PASS)] : statuses, [PASS]);
  const sampled = new Set(d.samples.verification.map((e) => e.key[0]));
  const link = (s: string): Cell => (sampled.has(s) ? { text: s, href: `#${sampleAnchor.verify(s)}` } : s);
  const n = checked.reduce((a, k) => a + k.files, 0);
  const pass = checked.filter((k) => k.verify === PASS).reduce((a, k) => a + k.files, 0);
  const alone = checked.filter((k) => k.standalone === PASS).reduce((a, k) => a + k.files, 0);
  return {
    id: 'verification',
    title: 'Verification by language and domain',
    intro: n
      ? `${n.toLocaleString('en-US')} kept files went through a toolchain check: ${formatShare(alone, n)} compile alone, ${formatShare(pass, n)} in the end with their repository's files and include directories. A status links to a sample of files with the first line of the tool's log.`
      : 'No kept file went through a toolchain check (rebuild --no-verify, or no file of a checked language).',
    figures: [
      statusFigure('lang', checked, colors, link),
      rateFigure('lang', checked),
      statusFigure('domain', checked, colors, link),
      rateFigure('domain', checked),
      transitionFigure(checked, link),
    ],
  };
}

const title = (g: Group): string => (g === 'lang' ? 'language' : 'domain');

function statusFigure(g: Group, rows: KeptGroup[], colors: { domain: string[]; range: string[] }, link: (s: string) => Cell): Figure {
  const keys = capKeys(rows, g);
  const data: Datum[] = totals(rows, (k) => `${keys(k[g])}\u0000${k.verify}`, (k) => k.files).map(([key, n]) => ({
    [title(g)]: key.split('\u0000')[0]!, status: key.split('\u0000')[1]!, files: n,
  }));
  const per = new Map(totals(rows, (k) => k[g], (k) => k.files));
  const cells = totals(rows, (k) => `${k[g]}\u0000${k.verify}`, (k) => k.files);
  return {
    id: `fig-verify-status-${g}`,
    title: `Final verification status by ${title(g)}`,
    chart: data.length ? { data, y: title(g), yTitle: title(g), x: 'files', xTitle: 'files checked', color: 'status', colorTitle: 'status', colors } : null,
    empty: 'No toolchain check ran.',
    table: {
      head: [title(g), 'status', 'files', `of the ${title(g)}'s checked`],
      ...capRows(cells.map(([key, n]) => {
        const [k, s] = key.split('\u0000') as [string, string];
        return [k, link(s), n, formatShare(n, per.get(k) ?? 0)];
      }), 300),
    },
  };
}

function rateFigure(g: Group, rows: KeptGroup[]): Figure {
  const by = new Map<string, { checked: number; alone: number; final: number; context: number }>();
  for (const k of rows) {
    const c = by.get(k[g]) ?? { checked: 0, alone: 0, final: 0, context: 0 };
    c.checked += k.files;
    if (k.standalone === PASS) c.alone += k.files;
    if (k.verify === PASS) c.final += k.files;
    if (k.verify === PASS && k.standalone !== PASS) c.context += k.files;
    by.set(k[g], c);
  }
  const ordered = [...by].sort((a, b) => b[1].checked - a[1].checked || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_GROUPS);
  const modes = ['standalone', 'repository context'];
  const data: Datum[] = ordered.flatMap(([k, c]) => [
    { [title(g)]: k, mode: modes[0]!, share: c.alone / c.checked },
    { [title(g)]: k, mode: modes[1]!, share: c.final / c.checked },
  ]);
  return {
    id: `fig-verify-rate-${g}`,
    title: `Share that compiles, standalone vs in repository context, by ${title(g)}`,
    chart: data.length ? { data, y: title(g), yTitle: title(g), yOrder: ordered.map(([k]) => k), x: 'share', xTitle: 'share of checked files that compile', xFormat: 'share', color: 'mode', colorTitle: '', grouped: true, colors: { domain: modes, range: ['#bab0ac', '#59a14f'] }, step: 11 } : null,
    empty: 'No toolchain check ran.',
    table: {
      head: [title(g), 'checked', 'compile alone', 'in the end', 'via context', 'alone', 'in the end'],
      rows: [...by].sort((a, b) => b[1].checked - a[1].checked).map(([k, c]) => [k, c.checked, c.alone, c.final, c.context, formatShare(c.alone, c.checked), formatShare(c.final, c.checked)]),
    },
  };
}

/** What each standalone outcome became once repository context was tried: the failure classes context fixes. */
function transitionFigure(rows: KeptGroup[], link: (s: string) => Cell): Figure {
  const t = totals(rows, (k) => `${k.standalone ?? 'not recorded'}\u0000${k.verify}`, (k) => k.files);
  const data: Datum[] = t.map(([key, n]) => ({ standalone: key.split('\u0000')[0]!, final: key.split('\u0000')[1]!, files: n }));
  const finals = [...new Set(data.map((r) => String(r.final)))];
  return {
    id: 'fig-verify-transitions',
    title: 'Standalone outcome → final outcome',
    chart: data.length ? { data, y: 'standalone', yTitle: 'standalone status', x: 'files', xTitle: 'files', color: 'final', colorTitle: 'final status', colors: statusColors(finals.includes(PASS) ? [PASS, ...finals.filter((s) => s !== PASS)] : finals, [PASS]) } : null,
    empty: 'No toolchain check ran.',
    table: { head: ['standalone', 'final', 'files'], rows: t.map(([key, n]) => [key.split('\u0000')[0]!, link(key.split('\u0000')[1]!), n]) },
  };
}

/** Keeps the largest groups by name and folds the rest into "other". */
function capKeys(rows: KeptGroup[], g: Group): (k: string) => string {
  const all = totals(rows, (k) => k[g], (k) => k.files);
  const top = new Set(all.slice(0, MAX_GROUPS).map(([k]) => k));
  return (k) => (top.has(k) ? k : `other (${all.length - MAX_GROUPS})`);
}
