import { InputError } from '../pipeline/errors.js';
import type { Doc } from '../pipeline/doc.js';
import type { Stage } from '../pipeline/stage.js';
import { createWorkerStage } from '../pipeline/worker-chain.js';
import { redactSpans, type RedactionRecord } from './pii-redact.js';
import { findEmails, findIps, findSecrets, type PiiSpan } from './pii-rules.js';
import { findSecretlintSpans } from './pii-secretlint.js';

/** What the PII stage looks for and how; every switch is a rebuild config option. */
export interface PiiOptions {
  /** Redact e-mail addresses. @default true */
  emails: boolean;
  /** Redact public IP addresses. @default true */
  ips: boolean;
  /** Redact keys, tokens, private keys and passwords (own rules + entropy). @default true */
  secrets: boolean;
  /** Also run secretlint's recommended provider rules. @default true */
  secretlint: boolean;
  /** Look for IPs in Verilog/SystemVerilog/VHDL (networking RTL holds design addresses, ANCHORS). @default false */
  ipInHdl: boolean;
  /** Placeholder domains that are never PII (example domains by RFC 2606, GitHub's noreply). @default example.com/org/net, localhost, … */
  ignoreEmailDomains: string[];
  /** Entropy bars in bits/char (detect-secrets / bigcode). @default 4.5 */
  minBase64Entropy: number;
  /** @default 3.0 */
  minHexEntropy: number;
  /** @default 3.5 */
  minGenericEntropy: number;
  /** Redactions recorded per file in the verdict (the count is always exact). @default 100 */
  maxRecorded: number;
}

export const DEFAULT_PII_OPTIONS: Readonly<PiiOptions> = {
  emails: true,
  ips: true,
  secrets: true,
  secretlint: true,
  ipInHdl: false,
  ignoreEmailDomains: ['example.com', 'example.org', 'example.net', 'example.edu', 'example', 'test', 'invalid', 'localhost', 'users.noreply.github.com', 'noreply.github.com'],
  minBase64Entropy: 4.5,
  minHexEntropy: 3.0,
  minGenericEntropy: 3.5,
  maxRecorded: 100,
};

/** Every finding in a text, before merging (for measurement and for the stage). */
export async function detectPii(text: string, lang: string, path: string, o: PiiOptions): Promise<PiiSpan[]> {
  const ruleOpts = { ignoreEmailDomains: o.ignoreEmailDomains, ipInHdl: o.ipInHdl, entropy: { base64: o.minBase64Entropy, hex: o.minHexEntropy, generic: o.minGenericEntropy } };
  const spans: PiiSpan[] = [];
  if (o.emails) spans.push(...findEmails(text, ruleOpts));
  if (o.ips) spans.push(...findIps(text, lang, ruleOpts));
  if (o.secrets) spans.push(...findSecrets(text, lang, ruleOpts));
  if (o.secrets && o.secretlint) spans.push(...(await findSecretlintSpans(text, path)));
  return spans;
}

/**
 * The `pii` stage: redacts, never drops. A changed document gets its new text,
 * 'pii' in `modifiedBy` (the runner stores the redacted text as the exported
 * blob) and `annotations.redactions` = { count, byType, items: [{type, rule,
 * start, end, line}] } — positions in the crawled text, never the values.
 */
export function createPiiStage(options: PiiOptions = DEFAULT_PII_OPTIONS): Stage {
  const o = validatePiiOptions(options);
  return createWorkerStage({ name: 'pii', options: { ...o }, step: { module: new URL('./pii-stage.js', import.meta.url).href, fn: 'piiStep' } });
}

/** The stage's worker step. */
export async function piiStep(doc: Doc, o: PiiOptions): Promise<void> {
  if (doc.text) await redactDoc(doc, o);
}

/** Redacts one document in place; returns what was redacted. */
export async function redactDoc(doc: Doc, o: PiiOptions): Promise<RedactionRecord[]> {
  const spans = await detectPii(doc.text!, doc.lang, doc.path, o);
  if (spans.length === 0) return [];
  const { text, records } = redactSpans(doc.text!, spans);
  doc.text = text;
  doc.modifiedBy.push('pii');
  const byType: Record<string, number> = {};
  for (const r of records) byType[r.type] = (byType[r.type] ?? 0) + 1;
  doc.annotations.redactions = { count: records.length, byType, items: records.slice(0, o.maxRecorded) };
  return records;
}

function validatePiiOptions(o: PiiOptions): PiiOptions {
  if (!Array.isArray(o.ignoreEmailDomains) || o.ignoreEmailDomains.some((d) => typeof d !== 'string')) {
    throw new InputError(`pii.ignoreEmailDomains must be a list of domains, got ${JSON.stringify(o.ignoreEmailDomains)}`);
  }
  for (const k of ['minBase64Entropy', 'minHexEntropy', 'minGenericEntropy'] as const) {
    if (!(o[k] >= 0 && o[k] <= 8)) throw new InputError(`pii.${k} must be between 0 and 8 bits/char, got ${o[k]}`);
  }
  return { ...o, ignoreEmailDomains: o.ignoreEmailDomains.map((d) => d.toLowerCase()) };
}
