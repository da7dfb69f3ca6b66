import type { SampleEntry } from '../corpus/report-samples.js';
import type { SampleGroup, SampleSection } from './page-model.js';
import { sampleAnchor, totals, type ReportData } from './report-data.js';

/** Longest `why` text shown inline; `incorpus why repo:path` prints the whole record. */
const MAX_WHY = 320;

/** The sample lists the charts' tables link to, each file with its recorded reason in words. */
export function sampleSections(d: ReportData): SampleSection[] {
  const drops = totals(d.verdicts.filter((v) => v.verdict === 'drop'), (v) => `${v.stage}\u0000${v.reason}`, (v) => v.files);
  const dropTotal = new Map(drops);
  const verify = new Map(totals(d.kept.filter((k) => k.verify !== null), (k) => k.verify!, (k) => k.files));
  const license = new Map(totals(d.kept, (k) => k.licenseStatus, (k) => k.files));
  const pii = new Map(totals(d.redactions, (r) => r.kind, (r) => r.files));
  const intro = 'A bounded sample per group (ordered by document id, which spreads it over repositories). The command “incorpus why repo:path” prints the full record of any of them.';
  return [
    { id: 'samples-drops', title: 'Samples: dropped files by reason', intro, groups: group(d.samples.drops, (k) => sampleAnchor.drop(k[0]!, k[1]!), (k) => `${k[0]} / ${k[1]}`, (k) => dropTotal.get(k.join('\u0000')) ?? 0, dropWhy) },
    { id: 'samples-verification', title: 'Samples: verification status', intro, groups: group(d.samples.verification, (k) => sampleAnchor.verify(k[0]!), (k) => k[0]!, (k) => verify.get(k[0]!) ?? 0, verifyWhy) },
    { id: 'samples-licenses', title: 'Samples: license decisions', intro, groups: group(d.samples.licenses, (k) => sampleAnchor.license(k[0]!), (k) => k[0]!, (k) => license.get(k[0]!) ?? 0, licenseWhy) },
    { id: 'samples-pii', title: 'Samples: redacted PII', intro, groups: group(d.samples.redactions, (k) => sampleAnchor.pii(k[0]!), (k) => k[0]!, (k) => pii.get(k[0]!) ?? 0, piiWhy) },
  ];
}

function group(
  entries: SampleEntry[], id: (k: string[]) => string, title: (k: string[]) => string, total: (k: string[]) => number, why: (e: SampleEntry) => string,
): SampleGroup[] {
  const out = new Map<string, SampleGroup>();
  for (const e of entries) {
    const gid = id(e.key);
    let g = out.get(gid);
    if (!g) out.set(gid, (g = { id: gid, title: title(e.key), total: total(e.key), entries: [] }));
    g.entries.push({ where: `${e.repo}:${e.path}`, docId: e.docId, why: clip(why(e)) });
  }
  return [...out.values()];
}

/** A drop in words: the kept copy for a duplicate, then the other recorded details. */
export function dropWhy(e: SampleEntry): string {
  const d = e.details ?? {};
  const parts: string[] = [];
  if (typeof d.duplicateOf === 'string') parts.push(`duplicate of ${String(d.repo ?? '?')}:${String(d.path ?? '?')} (${d.duplicateOf}), the copy the keep rule chose`);
  const rest = flatten(Object.fromEntries(Object.entries(d).filter(([k]) => !['duplicateOf', 'repo', 'path'].includes(k))));
  if (rest.length) parts.push(rest.join(', '));
  return `${e.key[0]}: ${e.key[1]}${parts.length ? ` — ${parts.join('; ')}` : ''}`;
}

function verifyWhy(e: SampleEntry): string {
  const v = (e.details?.verification ?? {}) as Record<string, unknown>;
  const alone = (v.standalone ?? {}) as Record<string, unknown>;
  const repo = (v.repository ?? {}) as Record<string, unknown>;
  // Compiled only in context: the standalone log says what was missing; otherwise the final log says what failed.
  const rescued = v.status === 'compiles' && alone.status !== undefined && alone.status !== 'compiles';
  const log = firstLine(String((rescued ? alone.log : v.log) ?? alone.log ?? ''));
  const path = alone.status !== undefined && repo.status !== undefined ? `standalone ${String(alone.status)} → repository ${String(repo.status)}` : `standalone ${String(alone.status ?? v.status)}`;
  return `${e.lang ?? '?'}, ${String(v.tool ?? 'tool?')}: ${path}${log ? ` — ${log}` : ''}`;
}

function licenseWhy(e: SampleEntry): string {
  const l = (e.details?.licenseDecision ?? {}) as Record<string, unknown>;
  const ev = Array.isArray(l.evidence) ? (l.evidence as Array<Record<string, unknown>>) : [];
  const shown = ev.slice(0, 3).map((x) => `${String(x.source ?? '?')} ${String(x.path ?? '')} → ${String(x.spdx ?? '?')}${x.method ? ` (${String(x.method)})` : ''}`);
  return `${String(l.spdx ?? 'no license')} from ${String(l.from ?? '?')}${shown.length ? `; evidence: ${shown.join('; ')}` : '; no evidence found'}`;
}

function piiWhy(e: SampleEntry): string {
  const r = (e.details?.redactions ?? {}) as { byType?: Record<string, number>; items?: Array<Record<string, unknown>> };
  const types = Object.entries(r.byType ?? {}).map(([k, n]) => `${k} ×${n}`).join(', ');
  const rules = [...new Set((r.items ?? []).map((i) => String(i.rule ?? i.type ?? '?')))].slice(0, 6).join(', ');
  return `${types}${rules ? ` (rules: ${rules})` : ''}`;
}

/** Details as `key=value` (nested objects as `a.b=value`, lists by their length): any stage's details read as words. */
function flatten(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const key = prefix + k;
    if (Array.isArray(v)) return [`${key}=[${v.length} ${v.length === 1 ? 'entry' : 'entries'}]`];
    if (v !== null && typeof v === 'object') return flatten(v as Record<string, unknown>, `${key}.`);
    return [`${key}=${String(v)}`];
  });
}

const firstLine = (s: string): string => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
const clip = (s: string): string => (s.length > MAX_WHY ? `${s.slice(0, MAX_WHY - 1)}…` : s);
