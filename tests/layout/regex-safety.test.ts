import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, REPO_ROOT } from '../helpers.js';
import { ALLOWED_PATTERNS } from './regex-allow-list.js';
import { defaultCacheFile, judgePatterns } from './regex-recheck.js';
import { findPatterns, listSourceFiles, type FoundPattern } from './regex-scan.js';

/** The folders whose code runs on crawled text (tests/ and bench/ only drive it). */
const SOURCE_FOLDERS = ['cli', 'pipeline', 'corpus', 'crawlers', 'ocr', 'filters', 'dedup', 'annotate', 'rebuild', 'export'];

const describe = (p: FoundPattern) => `${p.file}:${p.line} /${p.source}/${p.flags}`;

test('every regex in the source runs in linear time: proved by recheck, or compiled by RE2, or allow-listed with a reason', async () => {
  const patterns = findPatterns(REPO_ROOT, listSourceFiles(REPO_ROOT, SOURCE_FOLDERS));
  assert.ok(patterns.length > 300, `found only ${patterns.length} patterns: is the scanner reading the source?`);
  const verdicts = await judgePatterns(patterns, defaultCacheFile(REPO_ROOT));
  const allowed = new Set(ALLOWED_PATTERNS.map((a) => `${a.file}\u0000${a.source}`));
  const used = new Set<string>();
  const bad: string[] = [];
  for (const p of patterns) {
    const v = verdicts.get(p)!;
    if (v.status === 'safe') continue;
    const k = `${p.file}\u0000${p.source}`;
    if (allowed.has(k)) {
      used.add(k);
      continue;
    }
    bad.push(`${describe(p)}: ${v.status}, ${v.detail}${v.attack ? ` (attack: ${v.attack.slice(0, 80)})` : ''}`);
  }
  assert.deepEqual(bad, [], `super-linear or unprovable patterns (rewrite them, wrap them in re2() from annotate/linear-regex.ts, or — only if they never see crawled text — allow-list them in tests/layout/regex-allow-list.ts):\n${bad.join('\n')}`);
  const stale = ALLOWED_PATTERNS.filter((a) => !used.has(`${a.file}\u0000${a.source}`)).map((a) => `${a.file} /${a.source}/`);
  assert.deepEqual(stale, [], 'allow-list entries that match no flagged pattern any more');
});

test('the regex check fails on a planted bad pattern, a dynamic RegExp and a pattern RE2 cannot compile', async () => {
  const root = makeTempDir();
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'planted.ts'), [
    `const DECORATED = /((?:^[ \\t]*@[^\\n]*\\n(?:[ \\t]+[^\\n]*\\n)*)+)^[ \\t]*def/gm;`,
    `const TRAILING = /\\s+$/;`,
    `const LINEAR = /^[a-z]+$/;`,
    `const fromUser = (s: string) => new RegExp(s);`,
    `const folded = new RegExp(String.raw\`^\${'(a|a)*'}b\`, 'm');`,
    `const lookbehind = re2(/(?<=x)y/);`,
    `declare function re2(r: RegExp): RegExp;`,
  ].join('\n'));
  const patterns = findPatterns(root, listSourceFiles(root, ['src']));
  const verdicts = await judgePatterns(patterns, null);
  const by = (s: string) => [...verdicts].find(([p]) => p.source.includes(s))?.[1];
  assert.equal(by('def')?.status, 'vulnerable');
  assert.match(by('def')!.detail, /exponential/);
  assert.equal(by('\\s+$')?.status, 'vulnerable', 'quadratic counts as super-linear');
  assert.equal(by('^[a-z]+$')?.status, 'safe');
  assert.equal(by('new RegExp(s)')?.status, 'unknown', 'a pattern built from run-time values cannot pass');
  assert.equal(by('(a|a)*b')?.status, 'vulnerable', 'String.raw templates with constant parts are folded and checked');
  assert.equal(by('(?<=x)y')?.status, 'invalid');
});
