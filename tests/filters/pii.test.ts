import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PII_OPTIONS, detectPii, redactDoc } from '../../filters/pii-stage.js';
import { redactSpans } from '../../filters/pii-redact.js';
import { buildLabelledSet } from './pii-labelled-set.js';
import { scorePii } from './pii-score.js';
import { makeDoc } from '../helpers.js';
import { requireReal } from './filter-fixtures.js';

const found = async (text: string, lang = 'c'): Promise<string[]> =>
  (await detectPii(text, lang, lang === 'verilog' ? 'x.v' : 'x.c', DEFAULT_PII_OPTIONS)).map((s) => `${s.type}:${text.slice(s.start, s.end)}`);

test('emails: real addresses found; example domains, python@2.7, noreply and SSH remotes are not', async () => {
  assert.deepEqual(await found('/* Author: Li Wei <li.wei@riscvlab.io> */'), ['email:li.wei@riscvlab.io']);
  assert.deepEqual(await found('// user@example.com python@2.7 noreply@github.com git@github.com:a/b.git foo@bar.c'), []);
});

test('IPs: public addresses found; versions, dates, private, documentation and DNS addresses are not', async () => {
  assert.deepEqual(await found('// results go to 93.184.216.34 and 2a03:2880:f10c:83:face:b00c:0:25de'), ['ip:93.184.216.34', 'ip:2a03:2880:f10c:83:face:b00c:0:25de']);
  assert.deepEqual(await found('// version 1.2.3.4, v10.2.0.1, gw 192.168.1.1, dns 8.8.8.8, doc 203.0.113.9, 2001:db8::1, std::vector, a::b'), []);
  assert.deepEqual(await found('// dns server 1.2.3.4'), ['ip:1.2.3.4'], 'a short quad next to "server" is an address');
});

test('IPs in HDL are design data (networking RTL), unless configured otherwise', async () => {
  const rtl = '// test packet: dst ip 93.184.216.34\nlocalparam [31:0] DST = 32\'h5DB8D822;\n';
  assert.deepEqual(await found(rtl, 'verilog'), []);
  const spans = await detectPii(rtl, 'verilog', 'x.v', { ...DEFAULT_PII_OPTIONS, ipInHdl: true });
  assert.equal(spans.length, 1);
});

test('secrets: provider tokens, private keys, URL and assigned passwords, high-entropy assigned keys', async () => {
  const token = `ghp_${'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'}`;
  const text = [
    `export GH_TOKEN=${token}`,
    'aws_access_key_id = AKIAQ3EGTB7CJ5XK2M4P',
    'DATABASE_URL=postgres://ci:Xk82!mQz7pL@db.riscvlab.io:5432/results',
    'password = "Tr0ub4dor&3x"',
    'const char *api_key = "Zx8Kq2Lm9Pw4Rt7Yv3Bn6Hj1Qs5Df0Ga";',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----',
  ].join('\n');
  const types = (await detectPii(text, 'c', 'x.c', DEFAULT_PII_OPTIONS)).map((s) => `${s.type}:${s.rule}`);
  for (const t of ['key:secretlint:github', 'key:aws-access-key-id', 'password:url-password', 'password:assigned-secret', 'key:assigned-secret', 'private-key:private-key-block']) {
    assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
  }
});

test('secrets: hardware traps and hashes are left alone', async () => {
  const text = [
    "localparam [127:0] AES_KEY = 128'h2b7e151628aed2a6abf7158809cf4f3c;",
    '#define KEY_MASK 0xDEADBEEFu',
    'sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
    'api_key = "YOUR_API_KEY_HERE"',
    'token = "get_token_from_env"',
    'password = getenv("DB_PASSWORD");',
    '#define UART0_BASE 0x4000C000UL',
  ].join('\n');
  assert.deepEqual(await found(text, 'verilog'), []);
  assert.deepEqual(await found(text, 'c'), []);
});

test('redaction: consistent placeholders per file, synthetic private IPs of the same family, positions recorded', () => {
  const text = 'a 93.184.216.34 b 2a03:2880::25de:1 c 93.184.216.34 d 151.101.1.69 e';
  const spans = [
    { type: 'ip' as const, rule: 'ipv4', start: 2, end: 15 },
    { type: 'ip' as const, rule: 'ipv6', start: 18, end: 35 },
    { type: 'ip' as const, rule: 'ipv4', start: 38, end: 51 },
    { type: 'ip' as const, rule: 'ipv4', start: 54, end: 66 },
  ];
  const r = redactSpans(text, spans);
  const ips = r.text.split(' ').filter((w) => /[.:]/.test(w));
  assert.equal(ips[0], ips[2], 'the same address gets the same stand-in');
  assert.notEqual(ips[0], ips[3]);
  assert.match(ips[0]!, /^10\./);
  assert.match(ips[1]!, /^fd00::/);
  assert.deepEqual(r.records.map((x) => [x.start, x.end, x.line]), spans.map((s) => [s.start, s.end, 1]));
});

test('the pii stage sets text, modifiedBy and annotations.redactions without the values', async () => {
  const doc = makeDoc('fw/net.c', '// owner: r.kumar7@fabless.io\nconst char *password = "Qm7#xL2pVw9!";\nint main(void) { return 0; }\n');
  const records = await redactDoc(doc, DEFAULT_PII_OPTIONS);
  assert.equal(records.length, 2);
  assert.equal(doc.text, '// owner: <EMAIL>\nconst char *password = "<PASSWORD>";\nint main(void) { return 0; }\n');
  assert.deepEqual(doc.modifiedBy, ['pii']);
  const json = JSON.stringify(doc.annotations.redactions);
  assert.ok(!json.includes('fabless') && !json.includes('Qm7'), json);
  assert.deepEqual((doc.annotations.redactions as { byType: unknown }).byType, { email: 1, password: 1 });
});

test("labelled set on Debian's real Verilog and C: every planted value found, no planted look-alike redacted", async () => {
  requireReal('/usr/share/yosys', 'yosys');
  requireReal('/usr/include/newlib', 'libnewlib-dev');
  const trees = [
    { dir: '/usr/share/yosys', ext: /\.v$/, lang: 'verilog' },
    { dir: '/usr/include/newlib', ext: /\.h$/, lang: 'c' },
  ];
  const set = buildLabelledSet(trees, 25, 'pii-test');
  const score = await scorePii(set, DEFAULT_PII_OPTIONS);
  for (const [type, s] of Object.entries(score.byType)) {
    if (s.planted === 0) continue;
    assert.ok(s.recall >= 0.95, `${type} recall ${s.recall}`);
    assert.equal(s.falsePositives, 0, `${type} false positives`);
  }
  assert.deepEqual(score.decoyHits, {});
});

test('IPv6 candidates: the hand scanner yields what matchAll of the RE2 pattern yields (two colons or more), on random colon soup', async () => {
  const { ipv6Candidates } = await import('../../filters/pii-rules.js');
  const { createRandom } = await import('../../pipeline/seeded-random.js');
  const rnd = createRandom('ipv6-candidates');
  const alphabet = '0123456789abcdefABCDEFxyz:: \n.g_';
  for (let n = 0; n < 2000; n++) {
    const len = 1 + Math.floor(rnd.next() * 60);
    let text = '';
    for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd.next() * alphabet.length)];
    const want = [...text.matchAll(/[0-9A-Fa-f]*:[0-9A-Fa-f:]*/g)].filter((m) => m[0].split(':').length >= 3).map((m) => `${m.index}:${m[0]}`);
    assert.deepEqual([...ipv6Candidates(text)].map((m) => `${m.index}:${m[0]}`), want, JSON.stringify(text));
  }
  assert.deepEqual(await found('x ? a:b : std::vector<int> v; label: 2a03:2880:f10c:83:face:b00c:0:25de;'), ['ip:2a03:2880:f10c:83:face:b00c:0:25de']);
});

test('secrets: the literal prefilters skip nothing RE2 would match (its case folding included: ſ is s)', async () => {
  // RE2's case-insensitive KEYWORD folds ſ (U+017F) to s; the prefilter must let the text through.
  assert.deepEqual(await found('const ſecret_key = "Zx8Qp3Lm9Vt2Rw7Ky4Hb";'), ['key:Zx8Qp3Lm9Vt2Rw7Ky4Hb']);
  assert.deepEqual(await found('API_TOKEN=Zx8Qp3Lm9Vt2Rw7Ky4Hb'), ['key:Zx8Qp3Lm9Vt2Rw7Ky4Hb']);
  assert.deepEqual(await found('// no keyword here: x = "Zx8Qp3Lm9Vt2Rw7Ky4Hb";'), []);
});
