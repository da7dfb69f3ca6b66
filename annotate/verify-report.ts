import type { PassRates, VerificationStats } from '../corpus/verify-stats.js';
import type { StageStats } from '../pipeline/stats.js';
import type { Verification } from './verify/verify-doc.js';
import type { RefinementVerdict } from './verify/refinement-policy.js';

const pct = (n: number, d: number): string => (d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '-');

/** `stats` lines: pass rates per language and domain, standalone → repository context → final, and the failure mix. */
export function formatVerification(v: VerificationStats | undefined): string[] {
  if (!v || Object.keys(v.byLang).length === 0) return [];
  const row = (name: string, r: PassRates): string => {
    const other = Object.entries(r.byStatus).filter(([s]) => s !== 'compiles' && s !== 'compiles-with-blackboxes').map(([s, n]) => `${s} ${n}`).join(', ');
    const bb = r.withBlackboxes > 0 ? ` (+${pct(r.withBlackboxes, r.checked)} with black boxes)` : '';
    return `    ${name}: ${r.checked} checked, standalone ${pct(r.standalone, r.checked)}, repository context ${pct(r.repository, r.checked)}, compiles ${pct(r.compiles, r.checked)}${bb}${other ? `; ${other}` : ''}`;
  };
  const out = ['  verification by language (standalone → repository context → with vendor models and second opinions):'];
  for (const [lang, r] of Object.entries(v.byLang).sort()) out.push(row(lang, r));
  out.push('  verification by domain:');
  for (const [domain, r] of Object.entries(v.byDomain).sort()) out.push(row(domain, r));
  if (v.synth.attempted > 0) out.push(`  yosys synth: ${v.synth.compiles}/${v.synth.attempted} synthesized (${v.synth.tops} top modules), ${v.synth.cells} cells in total`);
  const weak = Object.entries(v.bySandbox).filter(([s]) => s !== 'bwrap');
  if (weak.length > 0) out.push(`  sandbox: ${Object.entries(v.bySandbox).map(([s, n]) => `${s} ${n}`).join(', ')} (weaker than bwrap were accepted explicitly)`);
  out.push(...formatRefinementStats(v.refinement));
  return out;
}

/** One `rebuild` summary line from the verify stage's counters. */
export function formatVerifyCounters(s: StageStats | undefined): string | null {
  const c = s?.counters;
  if (!c) return null;
  const statuses = Object.entries(c).filter(([k]) => k.startsWith('status:')).map(([k, n]) => `${k.slice(7)} ${n}`).join(', ');
  const sandbox = Object.keys(c).find((k) => k.startsWith('sandbox:'))?.slice(8) ?? (c['sandbox-unavailable'] ? 'unavailable' : 'off');
  const retries = c.retries ? `, ${c.retries} retried` : '';
  const refinement = Object.entries(c).filter(([k]) => k.startsWith('refinement:')).map(([k, n]) => `${k.slice(11)} ${n}`).join(', ');
  return `  verify: ${statuses || 'nothing checked'}${refinement ? `; refinement proofs: ${refinement}` : ''}; ${c['tool-runs'] ?? 0} tool runs (${((c['tool-cpu-ms'] ?? 0) / 1000).toFixed(1)} s CPU${retries}), ${c['cache-hits'] ?? 0} check and ${c['doc-cache-hits'] ?? 0} file cache hits; sandbox ${sandbox}`;
}

/** `why` lines for a kept document: refinement, verification (every step and opinion), synthesis. */
export function formatVerifyDetails(details: Record<string, unknown> | null): string[] {
  const out: string[] = [];
  const n = details?.normalize as { changes: string[]; rejected?: string; reverted?: string } | undefined;
  if (n) out.push(n.rejected ? `  normalize: rejected (${n.rejected}); original text kept` : `  normalize: ${n.changes.join(', ')}${n.reverted ? `; reverted (${n.reverted})` : ''}`);
  const v = details?.verification as Verification | undefined;
  if (!v) return out;
  const kind = (s: { status: string; kind?: string }): string => (s.kind ? `${s.status}/${s.kind}` : s.status);
  const repo = v.repository ? `; repository context (${v.repository.files} files${v.repository.buildList ? `, ${v.repository.buildList}` : ''}): ${kind(v.repository)}` : '';
  out.push(`  verification: ${kind(v)} by ${v.tool ?? '-'}${v.version ? ` (${v.version})` : ''}; standalone: ${kind(v.standalone)}${repo}${v.sandbox && v.sandbox !== 'bwrap' ? `; sandbox ${v.sandbox}` : ''}`);
  if (v.vendorModels?.length) out.push(`    vendor models: ${v.vendorModels.join(', ')}`);
  if (v.blackboxes?.length) out.push(`    black boxes: ${v.blackboxes.map((b) => `${b.module} (${b.why}${b.source ? `: ${b.source}` : ''})`).join(', ')}`);
  if (v.opinions?.length) out.push(`    opinions: ${v.opinions.map((o) => `${o.tool} ${kind(o)}`).join('; ')}`);
  if (v.device) out.push(`    device: -mcpu=${v.device.mcpu}${v.device.define ? ` -D${v.device.define}` : ''} (from ${v.device.evidence})`);
  if (v.missing?.length) out.push(`    missing: ${v.missing.join(', ')}`);
  if (v.log) out.push(...v.log.split('\n').slice(0, 4).map((l) => `    | ${l}`));
  if (v.synth) out.push(`  yosys synth: ${v.synth.status}${v.synth.kind ? `/${v.synth.kind}` : ''}${v.synth.top ? ` (top ${v.synth.top}, submodules as black boxes)` : ''}${v.synth.cells !== undefined ? `, ${v.synth.cells} cells` : ''}`);
  if (v.refinement) out.push(...formatRefinementVerdict(v.refinement));
  return out;
}

const SHIPPED = { refined: 'the refined text ships', redacted: 'the redacted text ships (layout fixes reverted)', original: 'the crawled text ships (refinement reverted)' };

/** `why` lines of a refinement verdict: the headline, then each step's proof. */
function formatRefinementVerdict(r: RefinementVerdict): string[] {
  const out = [`  refinement proof (${r.tool || '-'}${r.method ? `, ${r.method}` : ''}): ${r.status}; ${SHIPPED[r.shipped] ?? r.shipped}`];
  for (const s of r.steps ?? []) {
    const what = s.stage === 'pii' && s.status === 'mismatch' ? 'redaction changes the compiled program; kept (never undone)' : s.action;
    out.push(`    ${s.stage}: ${s.status}${s.detail ? ` (${s.detail})` : ''}; ${what}`);
  }
  return out;
}

/** `stats` lines: refinement proofs per language and what shipped. */
function formatRefinementStats(byLang: VerificationStats['refinement'] | undefined): string[] {
  const langs = Object.entries(byLang ?? {}).sort();
  if (langs.length === 0) return [];
  const out = ['  refinement proofs (a layout fix not proven identical is reverted; a redaction is never undone):'];
  for (const [lang, c] of langs) {
    const extra = [c.reverted ? `${c.reverted} reverted` : '', c.redactionChangesCode ? `${c.redactionChangesCode} redactions change the compiled program (shipped redacted)` : ''].filter(Boolean).join('; ');
    out.push(`    ${lang}: ${c.attempted} checked, ${c.identical} identical, ${c.mismatch} mismatch, ${c.notCheckable} not checkable${extra ? `; ${extra}` : ''}`);
  }
  return out;
}
