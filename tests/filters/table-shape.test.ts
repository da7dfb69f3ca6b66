import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { re2 } from '../../annotate/linear-regex.js';
import { tableShape } from '../../filters/validate-industrial.js';

// The line-by-line form tableShape had before it matched over the whole text
// (the reference: the same patterns, one line at a time).
const NUMBER = re2(/\b(?:\d+'[sS]?[bBoOdDhH][0-9a-fA-F_xXzZ?]+|0[xX][0-9a-fA-F]+[uUlL]*|0[bB][01]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?[uUlLfF]*)\b|'[bBoOdDhH][0-9a-fA-F_]+/g);
const WORD = /[A-Za-z_][\w$]*/g;
function perLine(text: string): { lines: number; dataLines: number } {
  let lines = 0;
  let dataLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(re2(/\/\/.*$|\/\*.*?\*\/|--.*$/g), '').trim();
    if (!line) continue;
    lines++;
    const nums = line.match(NUMBER)?.length ?? 0;
    const words = (line.replace(NUMBER, ' ').match(WORD)?.length ?? 0) - (/^#define\b/.test(line) ? 2 : 0);
    if ((nums >= 2 && nums >= words) || (nums >= 1 && words <= 0)) dataLines++;
  }
  return { lines, dataLines };
}

function texts(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

test('tableShape over the whole text counts the lines and data lines the line-by-line scan counts', () => {
  const real = [...texts('/usr/include/newlib', /\.h$/), ...texts('/usr/share/yosys', /\.v$/)];
  assert.ok(real.length > 150, 'libnewlib-dev and yosys are installed (scripts/setup.sh)');
  const edge = [
    '',
    '\n\n',
    '0x12, 0x34, // c\r\n0x56 /* a */ 0x78 /* b */ 9\r\n',
    "8'h3f: q = 8'h10; -- vhdl comment 1 2 3\n  \t\n#define X 0x4000UL\n#define Y(a) a\n",
    '1 2\n/* 3 4 */ x\n// 5 6\nx--; 7 8\n\u00a0\n\ufeff12 13\n',
    'é 1 2 ü\n3.5e-2 4f 0b101\n',
  ];
  let dataLines = 0;
  for (const t of [...real, ...edge]) {
    const got = tableShape(t);
    assert.deepEqual(got, perLine(t));
    dataLines += got.dataLines;
  }
  assert.ok(dataLines > 1000);
});
