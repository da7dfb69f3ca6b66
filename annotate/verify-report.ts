import type { PassRates, VerificationStats } from '../corpus/verify-stats.js';
import type { StageStats } from '../pipeline/stats.js';
import type { Verification } from './verify/verify-doc.js';

const pct = (n: number, d: number): string => (d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '-');

/** `stats` lines: pass rates per language and domain, standalone vs repository context. */
export function formatVerification(v: VerificationStats | undefined): string[] {
  if (!v || Object.keys(v.byLang).length === 0) return [];
  const row = (name: string, r: PassRates): string => {
    const other = Object.entries(r.byStatus).filter(([s]) => s !== 'compiles').map(([s, n]) => `${s} ${n}`).join(', ');
    return `    ${name}: ${r.checked} checked, standalone ${pct(r.standalone, r.checked)}, repository context ${pct(r.compiles, r.checked)} (+${r.viaRepository})${other ? `; ${other}` : ''}`;
  };
  const out = ['  verification by language (pass rate standalone → with repository context):'];
  for (const [lang, r] of Object.entries(v.byLang).sort()) out.push(row(lang, r));
  out.push('  verification by domain:');
  for (const [domain, r] of Object.entries(v.byDomain).sort()) out.push(row(domain, r));
  if (v.synth.attempted > 0) out.push(`  yosys synth: ${v.synth.compiles}/${v.synth.attempted} synthesized, ${v.synth.cells} cells in total`);
  return out;
}

/** One `rebuild` summary line from the verify stage's counters. */
export function formatVerifyCounters(s: StageStats | undefined): string | null {
  const c = s?.counters;
  if (!c) return null;
  const statuses = Object.entries(c).filter(([k]) => k.startsWith('status:')).map(([k, n]) => `${k.slice(7)} ${n}`).join(', ');
  const sandbox = Object.keys(c).find((k) => k.startsWith('sandbox:'))?.slice(8) ?? 'off';
  return `  verify: ${statuses || 'nothing checked'}; ${c['tool-runs'] ?? 0} tool runs (${((c['tool-cpu-ms'] ?? 0) / 1000).toFixed(1)} s CPU), ${c['cache-hits'] ?? 0} cache hits; sandbox ${sandbox}`;
}

/** `why` lines for a kept document: refinement, verification (both contexts), synthesis. */
export function formatVerifyDetails(details: Record<string, unknown> | null): string[] {
  const out: string[] = [];
  const n = details?.normalize as { changes: string[]; rejected?: string } | undefined;
  if (n) out.push(n.rejected ? `  normalize: rejected (${n.rejected}); original text kept` : `  normalize: ${n.changes.join(', ')}`);
  const v = details?.verification as Verification | undefined;
  if (!v) return out;
  const repo = v.repository ? `; repository context (${v.repository.files} files): ${v.repository.status}` : '';
  out.push(`  verification: ${v.status} by ${v.tool ?? '-'}${v.version ? ` (${v.version})` : ''}; standalone: ${v.standalone.status}${repo}`);
  if (v.missing?.length) out.push(`    missing: ${v.missing.join(', ')}`);
  if (v.log) out.push(...v.log.split('\n').slice(0, 4).map((l) => `    | ${l}`));
  if (v.synth) out.push(`  yosys synth: ${v.synth.status}${v.synth.cells !== undefined ? `, ${v.synth.cells} cells` : ''}`);
  if (v.refinement) out.push(`  refinement proof (${v.refinement.tool}): ${v.refinement.status}`);
  return out;
}
