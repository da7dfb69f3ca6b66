import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFim, reassembleFim, DEFAULT_FIM_RATE, DEFAULT_SPM_RATE } from '../../export/fim.js';
import type { FimOptions, FimResult } from '../../export/fim.js';
import { FIM_PRESETS, FIM_PRESET_NAMES, DEFAULT_FIM_PRESET, getFimTokens } from '../../export/fim-tokens.js';
import type { FimTokens } from '../../export/fim-tokens.js';
import { createRandom } from '../../pipeline/seeded-random.js';
import type { Random } from '../../pipeline/seeded-random.js';

const SC = FIM_PRESETS.starcoder;

function opts(fimRate: number, spmRate: number, tokens: FimTokens = SC): FimOptions {
  return { fimRate, spmRate, tokens };
}

/** A Random that replays scripted values, to pin cut points exactly. */
function scripted(nexts: number[], ints: number[]): Random {
  return {
    next: () => nexts.shift() ?? 0,
    int: () => ints.shift() ?? 0,
  };
}

/** Recorded PSM output for the fixed-seed layout test (seed 'layout-seed-2'). */
const PINNED_LAYOUT = '<fim_prefix>def add(a,<fim_suffix>eturn a + b\n<fim_middle> b):\n    r';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// ---------------------------------------------------------------- presets

test('preset names and default', () => {
  assert.deepEqual([...FIM_PRESET_NAMES], ['starcoder', 'starcoder2', 'deepseek', 'codellama', 'qwen2.5']);
  assert.equal(DEFAULT_FIM_PRESET, 'starcoder');
  assert.equal(DEFAULT_FIM_RATE, 0.5);
  assert.equal(DEFAULT_SPM_RATE, 0.5);
});

test('starcoder and starcoder2 token strings', () => {
  const fim = { prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>', pad: '<fim_pad>', eot: '<|endoftext|>' };
  assert.deepEqual({ ...FIM_PRESETS.starcoder }, fim);
  assert.deepEqual({ ...FIM_PRESETS.starcoder2 }, { ...fim, repoName: '<repo_name>', fileSep: '<file_sep>' });
});

test('deepseek token strings use U+FF5C and U+2581', () => {
  const t = FIM_PRESETS.deepseek;
  assert.equal(t.prefix, '<｜fim▁begin｜>');
  assert.equal(t.suffix, '<｜fim▁hole｜>');
  assert.equal(t.middle, '<｜fim▁end｜>');
  assert.equal(t.eot, '<｜end▁of▁sentence｜>');
  assert.equal(t.pad, undefined);
  const codePoints = (s: string): number[] => [...s].map((c) => c.codePointAt(0) ?? -1);
  assert.deepEqual(codePoints(t.prefix), [0x3c, 0xff5c, ...codePoints('fim'), 0x2581, ...codePoints('begin'), 0xff5c, 0x3e]);
  assert.deepEqual(codePoints(t.suffix), [0x3c, 0xff5c, ...codePoints('fim'), 0x2581, ...codePoints('hole'), 0xff5c, 0x3e]);
  assert.deepEqual(codePoints(t.middle), [0x3c, 0xff5c, ...codePoints('fim'), 0x2581, ...codePoints('end'), 0xff5c, 0x3e]);
  assert.deepEqual(codePoints(t.eot ?? ''), [
    0x3c, 0xff5c, ...codePoints('end'), 0x2581, ...codePoints('of'), 0x2581, ...codePoints('sentence'), 0xff5c, 0x3e,
  ]);
  // Must not be the ASCII look-alikes.
  assert.ok(!t.prefix.includes('|') && !t.prefix.includes('_'));
});

test('codellama and qwen2.5 token strings', () => {
  assert.deepEqual({ ...FIM_PRESETS.codellama }, { prefix: '<PRE>', suffix: '<SUF>', middle: '<MID>', eot: '<EOT>' });
  assert.deepEqual({ ...FIM_PRESETS['qwen2.5'] }, {
    prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', pad: '<|fim_pad|>',
    eot: '<|endoftext|>', repoName: '<|repo_name|>', fileSep: '<|file_sep|>',
  });
});

test('getFimTokens returns a copy and rejects unknown names', () => {
  for (const name of FIM_PRESET_NAMES) assert.deepEqual(getFimTokens(name), { ...FIM_PRESETS[name] });
  const copy = getFimTokens('starcoder');
  copy.prefix = 'changed';
  assert.equal(FIM_PRESETS.starcoder.prefix, '<fim_prefix>');
  assert.ok(Object.isFrozen(FIM_PRESETS) && Object.isFrozen(FIM_PRESETS.starcoder));
  for (const bad of ['gpt', 'StarCoder', 'toString', '__proto__', '']) {
    assert.throws(() => getFimTokens(bad), (err: unknown) =>
      err instanceof Error && FIM_PRESET_NAMES.every((n) => err.message.includes(n)), `accepted ${bad}`);
  }
});

// ---------------------------------------------------------------- layout

test('PSM and SPM layout with scripted cuts', () => {
  const text = '0123456789';
  // Cuts deliberately unsorted (7 then 3): prefix 012, middle 3456, suffix 789.
  const psm = applyFim(text, scripted([0, 0.99], [7, 3]), opts(1, 0.5));
  assert.deepEqual(psm, { text: '<fim_prefix>012<fim_suffix>789<fim_middle>3456', fim: 'psm', span: { lo: 3, hi: 7, kind: 'char' } });
  const spm = applyFim(text, scripted([0, 0.1], [7, 3]), opts(1, 0.5));
  assert.deepEqual(spm, { text: '<fim_prefix><fim_suffix>789<fim_middle>0123456', fim: 'spm', span: { lo: 3, hi: 7, kind: 'char' } });
  assert.equal(reassembleFim(psm.text, 'psm', SC), text);
  assert.equal(reassembleFim(spm.text, 'spm', SC), text);
  // No EOT is appended.
  assert.ok(!psm.text.endsWith('<|endoftext|>') && !spm.text.endsWith('<|endoftext|>'));
});

test('PSM and SPM layout with a fixed seed match the documented draw order', () => {
  const text = 'def add(a, b):\n    return a + b\n';
  for (const [spmRate, mode] of [[0, 'psm'], [1, 'spm']] as const) {
    const twin = createRandom('layout-seed-2');
    twin.next();
    const c1 = twin.int(text.length + 1);
    const c2 = twin.int(text.length + 1);
    const [lo, hi] = [Math.min(c1, c2), Math.max(c1, c2)];
    const [p, m, s] = [text.slice(0, lo), text.slice(lo, hi), text.slice(hi)];
    const expected = mode === 'psm'
      ? `<fim_prefix>${p}<fim_suffix>${s}<fim_middle>${m}`
      : `<fim_prefix><fim_suffix>${s}<fim_middle>${p}${m}`;
    const got = applyFim(text, createRandom('layout-seed-2'), opts(1, spmRate));
    assert.deepEqual(got, { text: expected, fim: mode, span: { lo, hi, kind: 'char' } });
  }
  // Pinned literal, so a change in PRNG or draw order is caught.
  const pinned = applyFim(text, createRandom('layout-seed-2'), opts(1, 0));
  assert.equal(pinned.text, PINNED_LAYOUT);
});

test('cuts never split a surrogate pair', () => {
  const text = 'a\u{1F600}b\u{1F680}';
  // Cuts at 2 and 5 are both inside pairs; each must move forward by one.
  const r = applyFim(text, scripted([0, 0.99], [5, 2]), opts(1, 0));
  assert.equal(r.text, '<fim_prefix>a\u{1F600}<fim_suffix><fim_middle>b\u{1F680}');
  const rng = createRandom('surrogates');
  const emoji = '\u{1F600}\u{1F468}\u200D\u{1F469}\u{1F3FD}𝔘𝔫𝔦';
  for (let i = 0; i < 500; i++) {
    const out = applyFim(emoji, rng, opts(1, 0.5));
    assert.notEqual(out.fim, null);
    for (const part of out.text.split(/<fim_prefix>|<fim_suffix>|<fim_middle>/)) {
      assert.ok(!LONE_SURROGATE.test(part), `split pair in ${JSON.stringify(out.text)}`);
    }
  }
});

// ---------------------------------------------------------------- round trip

const ALPHABET = [
  'a', 'Z', '0', ' ', '\t', '\n', '\r\n', '{', '}', '<', '>', '|', '_', '▁', '｜', 'é', '中', '文',
  '\u{1F600}', '\u{1F680}', '\u{1F468}\u200D\u{1F469}', '𝔘', '\uD800', '\uDC00', '<fim', 'fim_', '<PR', 'MID>',
];

function randomText(rng: Random, maxLen: number): string {
  const n = rng.int(maxLen + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[rng.int(ALPHABET.length)] ?? '';
  return s;
}

test('round trip reassembleFim(applyFim(x)) === x for all presets', () => {
  const gen = createRandom('round-trip-texts');
  const texts = ['', 'x', '\u{1F600}', 'ab', 'line 1\r\nline 2\r\n', '\r\n', ...Array.from({ length: 400 }, () => randomText(gen, 60))];
  for (const name of FIM_PRESET_NAMES) {
    const tokens = FIM_PRESETS[name];
    const rng = createRandom(`round-trip:${name}`);
    let applied = 0;
    for (const text of texts) {
      for (const spmRate of [0, 0.5, 1]) {
        const r = applyFim(text, rng, opts(1, spmRate, tokens));
        if (r.fim !== null) applied++;
        assert.equal(reassembleFim(r.text, r.fim, tokens), text, `${name}: ${JSON.stringify(text)}`);
      }
    }
    assert.ok(applied > texts.length * 2, `${name}: FIM applied only ${applied} times`);
  }
});

test('empty and 1-char texts are skipped as too-short', () => {
  for (const text of ['', 'x', '\uD83D']) {
    assert.deepEqual(applyFim(text, createRandom('s'), opts(1, 1)), { text, fim: null, skipped: 'too-short' });
  }
});

// ---------------------------------------------------------------- rates

function run(n: number, fimRate: number, spmRate: number, seed = 'rates'): FimResult[] {
  const text = 'function f(x) {\r\n  return x * 2; // \u{1F600}\r\n}\r\n';
  return Array.from({ length: n }, (_, i) => applyFim(text, createRandom(`${seed}:${i}`), opts(fimRate, spmRate)));
}

test('fimRate 0 never applies FIM', () => {
  for (const r of run(500, 0, 1)) {
    assert.equal(r.fim, null);
    assert.equal(r.skipped, 'rate');
  }
});

test('fimRate 1 and spmRate 1 always produce SPM', () => {
  for (const r of run(500, 1, 1)) assert.equal(r.fim, 'spm');
  for (const r of run(500, 1, 0)) assert.equal(r.fim, 'psm');
});

test('observed FIM and SPM shares match the configured rates', () => {
  const results = run(2000, 0.5, 0.5);
  const fim = results.filter((r) => r.fim !== null);
  const fimShare = fim.length / results.length;
  assert.ok(fimShare >= 0.45 && fimShare <= 0.55, `FIM share ${fimShare}`);
  const spmShare = fim.filter((r) => r.fim === 'spm').length / fim.length;
  assert.ok(Math.abs(spmShare - 0.5) <= 0.06, `SPM share ${spmShare}`);

  const skewed = run(2000, 0.5, 0.2, 'skewed').filter((r) => r.fim !== null);
  const skewedSpm = skewed.filter((r) => r.fim === 'spm').length / skewed.length;
  assert.ok(Math.abs(skewedSpm - 0.2) <= 0.05, `SPM share ${skewedSpm} at spmRate 0.2`);
});

test('same seed gives identical output, different seed differs', () => {
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(10);
  const a = applyFim(text, createRandom('g:doc-1'), opts(1, 0.5));
  const b = applyFim(text, createRandom('g:doc-1'), opts(1, 0.5));
  const c = applyFim(text, createRandom('g:doc-2'), opts(1, 0.5));
  assert.deepEqual(a, b);
  assert.notEqual(a.text, c.text);
});

test('random draws are consumed identically whatever the outcome', () => {
  const cases: Array<[string, number]> = [['', 1], ['x', 1], ['abc<fim_middle>', 1], ['abcdef', 0], ['abcdef', 1]];
  const after = cases.map(([text, fimRate]) => {
    const rng = createRandom('alignment');
    applyFim(text, rng, opts(fimRate, 0.5));
    return rng.next();
  });
  assert.equal(new Set(after).size, 1);
});

// ---------------------------------------------------------------- guards

test('texts containing a special token are skipped', () => {
  const text = 'x = "<fim_middle>"\n';
  assert.deepEqual(applyFim(text, createRandom('t'), opts(1, 1)), { text, fim: null, skipped: 'contains-fim-token' });
  // Every token of the preset counts, including pad/eot/repoName/fileSep.
  for (const name of FIM_PRESET_NAMES) {
    const tokens = FIM_PRESETS[name];
    for (const token of Object.values(tokens)) {
      const r = applyFim(`before ${token} after`, createRandom('t'), opts(1, 0.5, tokens));
      assert.equal(r.skipped, 'contains-fim-token', `${name}: ${token}`);
      assert.equal(r.fim, null);
    }
  }
  // Another preset's tokens are ordinary text.
  assert.notEqual(applyFim('a <PRE> b <MID> c', createRandom('t'), opts(1, 1)).fim, null);
});

test('custom tokens that would straddle a boundary are skipped, never mis-parsed', () => {
  const tokens: FimTokens = { prefix: 'ab', suffix: 'b|', middle: '#' };
  const rng = createRandom('straddle');
  const outcomes = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const text = randomText(rng, 12).replace(/[ab|#]/g, '') + 'a';
    const r = applyFim(text, rng, opts(1, 0.5, tokens));
    outcomes.add(r.fim ?? r.skipped ?? '');
    assert.equal(reassembleFim(r.text, r.fim, tokens), text);
  }
  // Both paths were exercised: the guard fired, and FIM still applied otherwise.
  assert.ok(outcomes.has('contains-fim-token') && outcomes.has('psm') && outcomes.has('spm'), [...outcomes].join());
});

test('invalid rates throw RangeError naming the option', () => {
  for (const bad of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '0.5' as unknown as number]) {
    assert.throws(() => applyFim('abc', createRandom('r'), opts(bad, 0.5)), (e: unknown) => e instanceof RangeError && /fimRate/.test(e.message));
    assert.throws(() => applyFim('abc', createRandom('r'), opts(0.5, bad)), (e: unknown) => e instanceof RangeError && /spmRate/.test(e.message));
  }
  assert.doesNotThrow(() => applyFim('abc', createRandom('r'), opts(0, 1)));
});

test('invalid custom tokens are rejected', () => {
  const bad: FimTokens[] = [
    { prefix: '', suffix: '<s>', middle: '<m>' },
    { prefix: '<p>', suffix: '<p>', middle: '<m>' },
    { prefix: '<p>', suffix: '<p><s>', middle: '<m>' },
    { prefix: '<p>', suffix: '<s>', middle: '<m>', eot: '' },
  ];
  for (const tokens of bad) assert.throws(() => applyFim('abc', createRandom('r'), opts(1, 1, tokens)), TypeError);
});

test('reassembleFim rejects malformed records', () => {
  assert.equal(reassembleFim('<fim_middle> untouched', null, SC), '<fim_middle> untouched');
  const malformed: Array<[string, 'psm' | 'spm']> = [
    ['plain text', 'psm'],
    ['<fim_prefix>a<fim_suffix>b', 'psm'],
    ['x<fim_prefix>a<fim_suffix>b<fim_middle>c', 'psm'],
    ['<fim_prefix>a<fim_middle>c<fim_suffix>b', 'psm'],
    ['<fim_prefix>a<fim_suffix>b<fim_middle>c<fim_middle>', 'psm'],
    ['<fim_prefix>a<fim_suffix>b<fim_middle>c', 'spm'],
    ['<fim_prefix><fim_middle>c<fim_suffix>b', 'spm'],
  ];
  for (const [text, mode] of malformed) assert.throws(() => reassembleFim(text, mode, SC), Error, text);
  assert.throws(() => reassembleFim('<fim_prefix><fim_suffix><fim_middle>', 'xyz' as 'psm', SC), /unknown FIM mode/);
});

test('a span picker replaces the character span; the record still reassembles', () => {
  const text = 'int f(void) { return 1; }\n';
  const out = applyFim(text, createRandom('picker'), opts(1, 0), (_t, charSpan) => {
    assert.equal(charSpan.kind, 'char');
    return { lo: 14, hi: 23, kind: 'ast-node' };
  });
  assert.deepEqual(out.span, { lo: 14, hi: 23, kind: 'ast-node' });
  assert.equal(out.text, '<fim_prefix>int f(void) { <fim_suffix> }\n<fim_middle>return 1;');
  assert.equal(reassembleFim(out.text, 'psm', SC), text);
  assert.throws(() => applyFim(text, createRandom('picker'), opts(1, 0), () => ({ lo: 5, hi: 99, kind: 'ast-node' })), RangeError);
});
