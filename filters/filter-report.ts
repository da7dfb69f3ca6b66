import type { FilterStats } from '../corpus/filter-stats.js';

const pct = (n: number, total: number): string => (total > 0 ? `${((100 * n) / total).toFixed(1)}%` : '0%');
const list = (rec: Record<string, number>): string =>
  Object.entries(rec)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** Per domain, the share of its files each filter rule dropped and the share redacted. */
export function formatFilterShares(
  f: FilterStats | undefined,
  keptByDomain: Record<string, number>,
  droppedByDomain: Record<string, Record<string, number>>,
): string[] {
  const out: string[] = [];
  for (const domain of [...new Set([...Object.keys(keptByDomain), ...Object.keys(droppedByDomain)])].sort()) {
    const dropped = droppedByDomain[domain] ?? {};
    const total = (keptByDomain[domain] ?? 0) + Object.values(dropped).reduce((a, b) => a + b, 0);
    const shares = Object.entries(dropped)
      .filter(([reason]) => /^(?:validate|license|pii)\//.test(reason))
      .map(([reason, n]) => `${reason} ${pct(n, total)}`);
    const redacted = f?.redactionsByDomain[domain]?.redactedFiles ?? 0;
    if (redacted > 0) shares.push(`redacted ${pct(redacted, total)}`);
    if (shares.length > 0) out.push(`  filter shares in ${domain} (${total} files): ${shares.join(', ')}`);
  }
  return out;
}

/** The filter lines of `incorpus stats`: redactions by type, rule and domain (with shares), and license decisions. */
export function formatFilterStats(f: FilterStats | undefined, kept: number): string[] {
  if (!f) return [];
  const out: string[] = [];
  const r = f.redactions;
  out.push(`  redacted: ${r.files} kept files (${pct(r.files, kept)})${r.files > 0 ? ` — ${list(r.byType)}` : ''}`);
  if (Object.keys(r.byRule).length > 0) out.push(`  redactions by rule: ${list(r.byRule)}`);
  for (const [domain, d] of Object.entries(f.redactionsByDomain)) {
    if (d.redactedFiles > 0) out.push(`  redacted in ${domain}: ${d.redactedFiles} of ${d.kept} files (${pct(d.redactedFiles, d.kept)}) — ${list(d.byType)}`);
  }
  out.push(`  license of kept files: ${list(f.licenseStatus)}`);
  if (Object.keys(f.topLicenses).length > 0) out.push(`  kept licenses: ${list(f.topLicenses)}`);
  return out;
}

interface RedactionDetails {
  count: number;
  byType: Record<string, number>;
  items: Array<{ type: string; rule: string; line: number; start: number; end: number }>;
}

/** The filter lines of `incorpus why` for a kept file: its license decision and what was redacted (never the values). */
export function formatKeptFilterDetails(details: Record<string, unknown> | null): string[] {
  const out: string[] = [];
  const lic = details?.licenseDecision as { status?: string; spdx?: string | null; from?: string; candidates?: string[] } | undefined;
  if (lic) {
    const what = lic.status === 'conflict' ? `conflict between ${lic.candidates?.join(' | ')}` : lic.spdx ?? 'no license found';
    out.push(`  license: ${what} (${lic.status}, from ${lic.from})`);
  }
  const red = details?.redactions as RedactionDetails | undefined;
  if (red && red.count > 0) {
    out.push(`  redacted by pii: ${red.count} (${list(red.byType)})`);
    for (const i of red.items.slice(0, 20)) out.push(`    line ${i.line}: ${i.type} [${i.start}, ${i.end}) by ${i.rule}`);
    if (red.count > 20) out.push(`    … ${red.count - 20} more (see --json)`);
  }
  return out;
}
