import { statusColors, type Datum } from './chart-specs.js';
import { capRows, formatBytes, formatShare, type Cell, type Section } from './page-model.js';
import { sampleAnchor, totals, type ReportData } from './report-data.js';

const MAX_LICENSES = 20;
const NONE = '(none decided)';

/** Which licenses the kept files carry, and how each was decided. */
export function licenseSection(d: ReportData): Section {
  const kept = d.kept;
  const files = kept.reduce((n, k) => n + k.files, 0);
  const lic = (k: (typeof kept)[number]): string => k.license ?? NONE;
  const byLicense = totals(kept, lic, (k) => k.files);
  const top = new Set(byLicense.slice(0, MAX_LICENSES).map(([l]) => l));
  const other = `other (${Math.max(0, byLicense.length - MAX_LICENSES)} licenses)`;
  const statuses = totals(kept, (k) => k.licenseStatus, (k) => k.files);
  const sampled = new Set(d.samples.licenses.map((e) => e.key[0]));
  const statusCell = (s: string): Cell => (sampled.has(s) ? { text: s, href: `#${sampleAnchor.license(s)}` } : s);
  const data: Datum[] = totals(kept, (k) => `${top.has(lic(k)) ? lic(k) : other}\u0000${k.licenseStatus}`, (k) => k.files).map(([key, n]) => ({
    license: key.split('\u0000')[0]!,
    status: key.split('\u0000')[1]!,
    files: n,
  }));
  const cells = totals(kept, (k) => `${lic(k)}\u0000${k.licenseStatus}`, (k) => k.files);
  const bytes = new Map(totals(kept, (k) => `${lic(k)}\u0000${k.licenseStatus}`, (k) => k.bytes));
  const colors = statusColors(statuses.map(([s]) => s), ['detected']);
  return {
    id: 'licenses',
    title: 'Licenses of the kept files',
    intro: 'The SPDX expression the license stage decided for each kept file (file header or SPDX line over the repository license), coloured by how it was decided. The policy that dropped other licenses is in the funnel above.',
    figures: [
      {
        id: 'fig-licenses',
        title: 'Kept files by license',
        chart: data.length ? { data, y: 'license', yTitle: 'license', x: 'files', xTitle: 'files', color: 'status', colorTitle: 'decision', colors } : null,
        empty: 'No file was kept.',
        table: {
          head: ['license', 'decision', 'files', 'of kept', 'bytes'],
          ...capRows(cells.map(([key, n]) => {
            const [l, s] = key.split('\u0000') as [string, string];
            return [l, statusCell(s), n, formatShare(n, files), formatBytes(bytes.get(key) ?? 0)];
          }), 200),
        },
      },
      {
        id: 'fig-license-status',
        title: 'How the licenses were decided',
        chart: statuses.length ? { data: statuses.map(([s, n]) => ({ decision: s, files: n, status: s })), y: 'decision', yTitle: 'decision', x: 'files', xTitle: 'files', color: 'status', colorTitle: 'decision', colors } : null,
        table: { head: ['decision', 'files', 'of kept'], rows: statuses.map(([s, n]) => [statusCell(s), n, formatShare(n, files)]) },
      },
    ],
  };
}
