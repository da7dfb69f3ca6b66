import { isIPv4, isIPv6 } from 'node:net';
import { isLabelledHash, isPlaceholder, looksRandom, type EntropyBars } from './pii-entropy.js';
import { re2 } from '../annotate/linear-regex.js';

/** What a redaction replaces. */
export type PiiType = 'email' | 'ip' | 'key' | 'private-key' | 'password';

/** One finding: its type, the rule that found it, and where (UTF-16 offsets into the original text). */
export interface PiiSpan {
  type: PiiType;
  rule: string;
  start: number;
  end: number;
}

export interface PiiRuleOptions {
  ignoreEmailDomains: readonly string[];
  /** Look for IP addresses in HDL at all (networking RTL holds design addresses, not PII). */
  ipInHdl: boolean;
  entropy: EntropyBars;
}

const HDL = new Set(['verilog', 'systemverilog', 'vhdl']);

/** Letter-initial TLD of ≥ 2 letters keeps `python@2.7` and `foo@bar.c` out (ANCHORS: bigcode's email fix). */
// Domain labels after an '@': sticky, so it runs once per '@' and only over the
// run of domain characters that follows it — linear over the text. The same
// pattern scanned with /g is quadratic (recheck: 'A.AAAAAAA' + 'A'.repeat(n) + '.').
const EMAIL_DOMAIN = /(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z])/y;
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const ALNUM = /[A-Za-z0-9]/;

/**
 * Email candidates, as `(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@domain`
 * would find them with matchAll, but anchored at each '@': the local part is
 * the whole run of local characters before it (1–64 of them, starting with a
 * letter or digit), so no start position is tried twice.
 */
function* emailCandidates(text: string): Generator<{ index: number; match: string; domain: string }> {
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at < lastEnd) continue;
    let start = at;
    while (start > 0 && at - start <= 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    if (start === at || at - start > 64 || start < lastEnd || !ALNUM.test(text[start]!)) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const d = EMAIL_DOMAIN.exec(text);
    if (!d) continue;
    lastEnd = EMAIL_DOMAIN.lastIndex;
    yield { index: start, match: text.slice(start, lastEnd), domain: d[0] };
  }
}
const PLACEHOLDER_LOCAL = /^(?:no-?reply|nobody|user(?:name)?|your[._-]?(?:name|email)|name|email|someone|foo|bar|me|you|john\.?doe|jane\.?doe)$/i;

export function findEmails(text: string, o: PiiRuleOptions): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of emailCandidates(text)) {
    const domain = m.domain.toLowerCase();
    const local = m.match.slice(0, m.match.indexOf('@'));
    if (o.ignoreEmailDomains.some((d) => domain === d || domain.endsWith(`.${d}`)) || PLACEHOLDER_LOCAL.test(local)) continue;
    // `git@github.com:owner/repo` is an SSH remote, not a person.
    if (local === 'git' || /\.(?:png|jpe?g|gif|svg|webp)$/i.test(domain)) continue;
    // `scheme://user:pass@host` is a password (found by the URL rule), not an address.
    if (/:\/\/[^\s/]*:$/.test(text.slice(Math.max(0, m.index - 200), m.index))) continue;
    out.push({ type: 'email', rule: 'email', start: m.index, end: m.index + m.match.length });
  }
  return out;
}

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
// Runs of hex digits and colons; the address shape and the boundaries are checked in code (linear in RE2).
const IPV6 = re2(/[0-9A-Fa-f]*:[0-9A-Fa-f:]*/g);
/** Words that make a short dotted quad an address rather than a version (ANCHORS). */
const NETWORK_WORD = /server|dns|host|addr|\bip\b|ipv4|gateway|route|connect|ping|proxy|remote|endpoint/i;

export function findIps(text: string, lang: string, o: PiiRuleOptions): PiiSpan[] {
  if (!o.ipInHdl && HDL.has(lang)) return [];
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(IPV4)) {
    const ip = m[0];
    if (!isIPv4(ip) || isNonPersonalIpv4(ip)) continue;
    const line = lineAround(text, m.index);
    // A short quad (x.y.z.w up to 9 chars) is a version or a section number ("9.7.12.4.", "[19.5.1.1]")
    // unless the line talks about networks (ANCHORS); bracketed or sentence-ending quads are references.
    if (ip.length <= 9 && !NETWORK_WORD.test(line)) continue;
    if (text[m.index - 1] === '[' || text[m.index - 1] === '§' || /^\.\s+[A-Z]/.test(text.slice(m.index + ip.length, m.index + ip.length + 3))) continue;
    if (re2(/\b(?:v|version|ver|release|rev)\s*[:=]?\s*$/i).test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    out.push({ type: 'ip', rule: 'ipv4', start: m.index, end: m.index + ip.length });
  }
  for (const m of ipv6Candidates(text)) {
    const ip = m[0];
    const edge = ip.startsWith('::') ? /[\w:]/ : /[\w:.]/;
    if (edge.test(text[m.index - 1] ?? ' ') || edge.test(text[m.index + ip.length] ?? ' ')) continue;
    const groups = ip.split(':').filter(Boolean);
    // C++ `a::b` and `std::` look like IPv6; a real address has ≥ 3 groups and a digit.
    if (groups.length < 3 || !/\d/.test(ip) || !isIPv6(ip) || isNonPersonalIpv6(ip)) continue;
    out.push({ type: 'ip', rule: 'ipv6', start: m.index, end: m.index + ip.length });
  }
  return out;
}

/**
 * What `text.matchAll(IPV6)` yields, as [match] with its index, but only the
 * matches with two colons or more (fewer never make the ≥ 3 groups findIps
 * requires): C and C++ have a colon on most lines (labels, `?:`, `::`), and
 * a match per colon through RE2 cost more than the rest of the PII rules.
 * The first match at or after p starts where the run of hex digits before the
 * first colon at or after p starts (not before p) and runs over hex digits and
 * colons; the scan goes on from its end, as /g does.
 */
export function* ipv6Candidates(text: string): Generator<{ 0: string; index: number }> {
  let p = 0;
  for (let c = text.indexOf(':'); c !== -1; c = text.indexOf(':', p)) {
    let start = c;
    while (start > p && isHex(text.charCodeAt(start - 1))) start--;
    let end = c + 1;
    let colons = 1;
    for (let ch = text.charCodeAt(end); end < text.length && (ch === 58 || isHex(ch)); ch = text.charCodeAt(++end)) if (ch === 58) colons++;
    p = end;
    if (colons >= 2) yield { 0: text.slice(start, end), index: start };
  }
}

function isHex(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 70) || (ch >= 97 && ch <= 102);
}

/** Private, loopback, link-local, multicast, documentation (RFC 5737) ranges and public DNS resolvers are not anyone's PII. */
function isNonPersonalIpv4(ip: string): boolean {
  const [a, b, c] = ip.split('.').map(Number) as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return true;
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113) || (a === 100 && b >= 64 && b <= 127)) return true;
  return PUBLIC_DNS.has(ip);
}
const PUBLIC_DNS = new Set(['8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220', '4.2.2.2', '64.6.64.6']);

function isNonPersonalIpv6(ip: string): boolean {
  const first = parseInt(ip.startsWith('::') ? '0' : ip.split(':')[0]!, 16);
  return ip === '::1' || ip === '::' || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || /^2001:0?db8:/i.test(ip);
}

/** Keywords that say an assigned value is a credential (bigcode's keyword prefilter). */
const KEYWORD = String.raw`[A-Za-z0-9_.-]*(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|auth[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credential|bearer)[A-Za-z0-9_]*`;
/**
 * Every KEYWORD match holds one of these (Unicode case folding, as RE2 folds:
 * ſ is s, K is k): a text without
 * any cannot match ASSIGN_QUOTED or ASSIGN_BARE, and skips both RE2 scans.
 */
const KEYWORD_PREFILTER = /api|secret|token|passw|pwd|auth|access|private|credential|bearer/iu;
/** `name = "value"`, `name: 'value'`, `#define NAME "value"` (quoted: a Verilog literal like 128'h… is never quoted). */
const ASSIGN_QUOTED = re2(new RegExp(String.raw`(${KEYWORD})["']?\s*(?:[:=]{1,2}|=>|\s)\s*[bru]?(?:"([^"'\s\\]{8,200})"|'([^"'\s\\]{8,200})')`, 'gi'));
/** `.env`/YAML style: the whole line is `name = value`. */
const ASSIGN_BARE = re2(new RegExp(String.raw`^[ \t]*(?:(?:\/\/+|#+|\*|--|;+)[ \t]*)?(?:export[ \t]+)?(${KEYWORD})[ \t]*[:=][ \t]*([A-Za-z0-9+/_\-.=~!@#%^&*]{8,200})[ \t]*$`, 'gim'));
/** Credentials in URL query strings: `?access_token=…`, `&api_key=…`, `&password=…`. */
const QUERY_SECRET = /[?&]((?:access_|auth_|api_|client_)?(?:token|key|apikey|secret|password|passwd|pwd|sig|signature))=([^&\s"'#<>]{8,200})/gi;
/** Provider formats not all in secretlint's preset: AWS access key ids, Google API keys, JWTs. */
const PROVIDER: ReadonlyArray<[string, RegExp]> = [
  ['aws-access-key-id', /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g],
  ['google-api-key', /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['jwt', re2(/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g)],
];
/** A literal every match of the provider rule holds: without it, the text is not scanned. */
const PROVIDER_LITERAL: Readonly<Record<string, string>> = { jwt: 'eyJ', 'google-api-key': 'AIza' };
/** PEM/OpenSSH/PGP private key blocks, whole (the body is the secret; the armor lines go too). */
const PRIVATE_KEY_BEGIN = re2(/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g);
const PRIVATE_KEY_END = re2(/-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/);
/** Password inside a URL or connection string: `scheme://user:PASS@host`. */
const URL_PASSWORD = re2(/\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"]{1,64}:([^\s@/'"]{1,128})@[\w.-]+/gi);

export function findSecrets(text: string, lang: string, o: PiiRuleOptions): PiiSpan[] {
  const out: PiiSpan[] = [];
  // Literal prefilters: each rule's matches all hold the literal tested first, so skipping a text without it changes nothing.
  if (text.includes('PRIVATE KEY')) for (const b of privateKeyBlocks(text)) out.push({ type: 'private-key', rule: 'private-key-block', ...b });
  for (const [rule, re] of PROVIDER) {
    const literal = PROVIDER_LITERAL[rule];
    if (literal !== undefined && !text.includes(literal)) continue;
    for (const m of text.matchAll(re)) out.push({ type: 'key', rule, start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.includes('://') ? text.matchAll(URL_PASSWORD) : []) {
    const pass = m[1]!;
    if (isPlaceholder(pass) || pass.length < 3) continue;
    const start = m.index + m[0].indexOf(`:${pass}@`) + 1;
    out.push({ type: 'password', rule: 'url-password', start, end: start + pass.length });
  }
  const assigned = (name: string, value: string, at: number, rule: string): void => {
    const line = lineAround(text, at);
    const isPassword = /passw|pwd/i.test(name);
    if (isPlaceholder(value) || isLabelledHash(value, line)) return;
    if (!isPassword && !looksRandom(value, o.entropy)) return;
    // A password is not a word, a call, or a path ("/etc/passwd" in pwd.h).
    if (isPassword && (value.length < 6 || /^[a-z]+$/.test(value) || /[(){}]/.test(value) || /^[./~$]|^\w+:\/\//.test(value))) return;
    out.push({ type: isPassword ? 'password' : 'key', rule, start: at, end: at + value.length });
  };
  for (const m of text.matchAll(QUERY_SECRET)) assigned(m[1]!, m[2]!, m.index + m[0].length - m[2]!.length, 'url-query-secret');
  if (!KEYWORD_PREFILTER.test(text)) return out;
  for (const m of text.matchAll(ASSIGN_QUOTED)) assigned(m[1]!, (m[2] ?? m[3])!, m.index + m[0].length - 1 - (m[2] ?? m[3])!.length, 'assigned-secret');
  // In HDL a bare `key: 2b7e1516…` line is a crypto test vector; only passwords are taken there.
  for (const m of text.matchAll(ASSIGN_BARE)) {
    if (!HDL.has(lang) || /passw|pwd/i.test(m[1]!)) assigned(m[1]!, m[2]!, m.index + m[0].lastIndexOf(m[2]!), 'assigned-secret');
  }
  return out;
}

/**
 * BEGIN … END armor with a 16 B–16 KiB body, the END searched only in that window:
 * one lazy regex over the window backtracked once per BEGIN line (RE2 also caps
 * counted repeats at 1000).
 */
function privateKeyBlocks(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let from = 0;
  for (const m of text.matchAll(PRIVATE_KEY_BEGIN)) {
    if (m.index < from) continue;
    const bodyStart = m.index + m[0].length;
    const end = PRIVATE_KEY_END.exec(text.slice(bodyStart + 16, bodyStart + 16384 + 64));
    if (!end || end.index > 16384 - 16) continue;
    from = bodyStart + 16 + end.index + end[0].length;
    out.push({ start: m.index, end: from });
  }
  return out;
}

function lineAround(text: string, at: number): string {
  const s = text.lastIndexOf('\n', at) + 1;
  const e = text.indexOf('\n', at);
  return text.slice(s, e < 0 ? text.length : e);
}
