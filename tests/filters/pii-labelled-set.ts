import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, type Random } from '../../pipeline/seeded-random.js';
import type { PiiType } from '../../filters/pii-rules.js';

/** A value planted at a known position (UTF-16 offsets into the planted text). */
export interface Planted {
  type: PiiType;
  kind: string;
  start: number;
  end: number;
  value: string;
}

/** A labelled file: real code nobody here wrote, with planted PII and planted look-alikes (decoys). */
export interface LabelledFile {
  path: string;
  lang: string;
  original: string;
  text: string;
  planted: Planted[];
  decoys: Array<{ kind: string; start: number; end: number }>;
}

/** Real trees to plant into, by language; missing trees are reported by the caller with their Debian package. */
export const REAL_TREES = [
  { dir: '/usr/share/yosys', ext: /\.v$/, lang: 'verilog', pkg: 'yosys' },
  { dir: '/usr/include/newlib', ext: /\.h$/, lang: 'c', pkg: 'libnewlib-dev' },
  { dir: '/usr/local/cuda/include', ext: /\.(?:h|cuh|hpp)$/, lang: 'cuda', pkg: 'nvidia-cuda-toolkit (or the CUDA toolkit in /usr/local/cuda)' },
] as const;

/** Files under `dir` matching `ext`, sorted, recursively (symlinks not followed). */
export function listFiles(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile() && ext.test(name) && st.size < 200_000) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[r.int(xs.length)]!;
const chars = (r: Random, alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[r.int(alphabet.length)]).join('');
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** Entity generators: a line template and the value inside it (the value is what must be redacted). */
const ENTITIES: ReadonlyArray<{ kind: string; type: PiiType; hdl: boolean; hard?: boolean; make: (r: Random) => [string, string] }> = [
  { kind: 'email', type: 'email', hdl: true, make: (r) => { const v = `${pick(r, ['anna', 'li.wei', 'r.kumar', 'jdoe42', 'm_garcia'])}${r.int(100)}@${pick(r, ['acme-silicon', 'fabless', 'riscvlab', 'gpucorp'])}.${pick(r, ['com', 'io', 'de', 'co.uk'])}`; return [`Maintainer: Some Person <${v}>`, v]; } },
  { kind: 'ipv4', type: 'ip', hdl: false, make: (r) => { const v = `${pick(r, [23, 45, 81, 93, 104, 151, 185, 212])}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`; return [`upload results to server ${v} after the run`, v]; } },
  { kind: 'ipv6', type: 'ip', hdl: false, make: (r) => { const v = `2a0${r.int(10)}:${chars(r, HEX, 4)}:${chars(r, HEX, 4)}:${r.int(9000) + 1000}::${chars(r, HEX, 3)}`; return [`build host address ${v}`, v]; } },
  { kind: 'github-token', type: 'key', hdl: true, make: (r) => { const v = `ghp_${chars(r, B62, 36)}`; return [`GH_TOKEN=${v}`, v]; } },
  { kind: 'aws-key', type: 'key', hdl: true, make: (r) => { const v = `AKIA${chars(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`; return [`aws_access_key_id = ${v}`, v]; } },
  { kind: 'slack-token', type: 'key', hdl: true, make: (r) => { const v = `xoxb-${chars(r, '0123456789', 12)}-${chars(r, '0123456789', 13)}-${chars(r, B62, 24)}`; return [`slack bot: ${v}`, v]; } },
  { kind: 'generic-key', type: 'key', hdl: true, make: (r) => { const v = chars(r, B62, 32); return [`api_key = "${v}"`, v]; } },
  { kind: 'url-password', type: 'password', hdl: true, make: (r) => { const v = `${chars(r, B62, 10)}!${r.int(100)}`; return [`DATABASE_URL=postgres://ci:${v}@db.riscvlab.io:5432/results`, v]; } },
  { kind: 'assigned-password', type: 'password', hdl: true, make: (r) => { const v = `${chars(r, B62, 8)}#${r.int(1000)}`; return [`password = "${v}"`, v]; } },
  // Hard cases (bench only, `hard: true`): written the way people leak them, outside the patterns the rules look for.
  { kind: 'hard:bare-token', type: 'key', hdl: true, hard: true, make: (r) => { const v = chars(r, B62, 40); return [`${v}`, v]; } },
  { kind: 'hard:query-token', type: 'key', hdl: true, hard: true, make: (r) => { const v = chars(r, B62, 32); return [`curl https://api.riscvlab.io/v1/runs?access_token=${v}`, v]; } },
  { kind: 'hard:yaml-password', type: 'password', hdl: true, hard: true, make: (r) => { const v = `${chars(r, B62, 9)}${r.int(100)}!`; return [`password: ${v}`, v]; } },
  { kind: 'hard:spelled-email', type: 'email', hdl: true, hard: true, make: (r) => { const v = `${pick(r, ['anna', 'li.wei', 'jdoe42'])} at ${pick(r, ['fabless', 'riscvlab'])} dot com`; return [`mail ${v}`, v]; } },
  { kind: 'private-key', type: 'private-key', hdl: true, make: (r) => { const body = Array.from({ length: 6 }, () => chars(r, B62 + '+/', 64)).join('\n'); const v = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`; return [v, v]; } },
];

/** Look-alikes the ANCHORS traps list; any redaction touching one is a false positive. */
const DECOYS: ReadonlyArray<{ kind: string; make: (r: Random, lang: string) => string }> = [
  { kind: 'version-quad', make: (r) => `tested with release ${1 + r.int(4)}.${r.int(10)}.${r.int(10)}.${r.int(10)}` },
  { kind: 'example-email', make: () => 'report bugs to user@example.com' },
  { kind: 'python-at-version', make: () => 'needs python@2.7 or newer' },
  { kind: 'sha-hash', make: (r) => `sha256: ${chars(r, HEX, 64)}` },
  { kind: 'commit-hash', make: (r) => `upstream commit ${chars(r, HEX, 40)}` },
  { kind: 'hdl-literal', make: (r, lang) => (lang === 'verilog' ? `localparam [127:0] AES_KEY = 128'h${chars(r, HEX, 32)};` : `#define KEY_MASK 0x${chars(r, HEX, 8).toUpperCase()}u`) },
  { kind: 'mac-address', make: (r) => `default MAC ${Array.from({ length: 6 }, () => chars(r, HEX, 2)).join(':')}` },
  { kind: 'private-ip', make: (r) => `gateway 192.168.${r.int(256)}.1, dns 8.8.8.8, docs 203.0.113.${r.int(256)}` },
  { kind: 'date', make: (r) => `released 20${10 + r.int(15)}.${1 + r.int(12)}.${1 + r.int(28)}` },
  { kind: 'register-map', make: (r) => `#define UART${r.int(4)}_BASE 0x4000${chars(r, HEX, 4).toUpperCase()}UL` },
  { kind: 'placeholder-key', make: () => 'api_key = "YOUR_API_KEY_HERE"' },
  { kind: 'rtl-ip-constant', make: (r) => `dst ip ${93 + r.int(5)}.184.216.${r.int(250)} in the test packet` },
];

/**
 * Plants `perFile` entities and as many decoys into each file, as whole comment
 * lines at random line boundaries, and records their exact positions. IPs are
 * not planted in HDL, where policy treats addresses as design data (the
 * rtl-ip-constant decoy checks that).
 */
export function plantFile(path: string, lang: string, original: string, seed: string, perFile = 3, hard = false): LabelledFile {
  const r = createRandom(`${seed}:${path}`);
  const lines = original.split('\n');
  const inserts = new Map<number, Array<{ line: string; value?: string; type?: PiiType; kind: string }>>();
  const add = (entry: { line: string; value?: string; type?: PiiType; kind: string }): void => {
    const at = r.int(lines.length + 1);
    inserts.set(at, [...(inserts.get(at) ?? []), entry]);
  };
  const hdl = lang === 'verilog';
  for (let i = 0; i < perFile; i++) {
    const e = pick(r, ENTITIES.filter((x) => (!hdl || x.hdl) && Boolean(x.hard) === hard));
    const [line, value] = e.make(r);
    add({ line: e.kind === 'private-key' ? `/*\n${line}\n*/` : `// ${line}`, value, type: e.type, kind: e.kind });
    const d = pick(r, DECOYS.filter((x) => x.kind !== 'rtl-ip-constant' || hdl));
    add({ line: `// ${d.make(r, lang)}`, kind: d.kind });
  }
  const out: string[] = [];
  const planted: Planted[] = [];
  const decoys: LabelledFile['decoys'] = [];
  let offset = 0;
  const push = (s: string): void => {
    out.push(s);
    offset += s.length + 1;
  };
  for (let i = 0; i <= lines.length; i++) {
    for (const e of inserts.get(i) ?? []) {
      if (e.value !== undefined) {
        const start = offset + e.line.indexOf(e.value);
        planted.push({ type: e.type!, kind: e.kind, start, end: start + e.value.length, value: e.value });
      } else decoys.push({ kind: e.kind, start: offset + 3, end: offset + e.line.length });
      push(e.line);
    }
    if (i < lines.length) push(lines[i]!);
  }
  return { path, lang, original, text: out.join('\n'), planted, decoys };
}

/** A deterministic sample of `perTree` files from each real tree, planted (with the standard or, `hard`, the hard kinds). */
export function buildLabelledSet(trees: ReadonlyArray<{ dir: string; ext: RegExp; lang: string }>, perTree: number, seed = 'pii-v1', hard = false): LabelledFile[] {
  const out: LabelledFile[] = [];
  for (const t of trees) {
    const files = listFiles(t.dir, t.ext);
    const r = createRandom(`${seed}:${t.dir}`);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(perTree, files.length)) chosen.add(r.int(files.length));
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const path = files[i]!;
      out.push(plantFile(path, t.lang, readFileSync(path, 'utf8'), seed, 3, hard));
    }
  }
  return out;
}
