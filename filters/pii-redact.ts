import type { PiiSpan, PiiType } from './pii-rules.js';

/** What the verdict records per redaction: type, rule and position — never the value. */
export interface RedactionRecord {
  type: PiiType;
  rule: string;
  start: number;
  end: number;
  line: number;
}

/**
 * Keeps one span per overlapping group: the earliest start, then the longest
 * (a private-key block swallows the keys inside it; a URL password found by two
 * rules is redacted once).
 */
export function mergeSpans(spans: PiiSpan[]): PiiSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) last.end = s.end;
      continue;
    }
    out.push({ ...s });
  }
  return out;
}

const PLACEHOLDER: Record<Exclude<PiiType, 'ip'>, string> = { email: '<EMAIL>', key: '<KEY>', 'private-key': '<KEY>', password: '<PASSWORD>' };

/**
 * Replaces spans with placeholders, consistently within the file (bigcode's
 * scheme): `<EMAIL>`, `<KEY>`, `<PASSWORD>`; each distinct IP becomes the same
 * synthetic private address of its family everywhere in the file (10.0.x.y,
 * fd00::n), so code that compares addresses still reads sensibly.
 */
export function redactSpans(text: string, spans: PiiSpan[]): { text: string; records: RedactionRecord[] } {
  const merged = mergeSpans(spans);
  const ips = new Map<string, string>();
  const parts: string[] = [];
  const records: RedactionRecord[] = [];
  let at = 0;
  let line = 1;
  for (const s of merged) {
    line += countNewlines(text, at, s.start);
    parts.push(text.slice(at, s.start));
    const value = text.slice(s.start, s.end);
    parts.push(s.type === 'ip' ? syntheticIp(value, ips) : PLACEHOLDER[s.type]);
    records.push({ type: s.type, rule: s.rule, start: s.start, end: s.end, line });
    line += countNewlines(text, s.start, s.end);
    at = s.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), records };
}

function syntheticIp(ip: string, seen: Map<string, string>): string {
  let out = seen.get(ip);
  if (!out) {
    const n = seen.size + 1;
    out = ip.includes(':') ? `fd00::${n.toString(16)}` : `10.0.${Math.floor(n / 254)}.${(n % 254) + 1}`;
    seen.set(ip, out);
  }
  return out;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
