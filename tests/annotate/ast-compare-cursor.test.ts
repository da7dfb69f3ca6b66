import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareAst, firstAstDifference, textEdits } from '../../annotate/ast-compare.js';
import { normalizeText } from '../../annotate/normalize.js';
import { getParser, grammarFor, maskCuda, reparseEdited } from '../../annotate/tree-sitter.js';
import { createRandom } from '../../pipeline/seeded-random.js';

// compareAst decides on tree cursors and asks the node walk only for the reason;
// both must agree on every pair: real files against their normalized text, and
// against edits that change the tree (a deleted character, a literal's spacing).
function files(dir: string, ext: RegExp, limit: number): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name) && out.length < limit) out.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

test('cursor AST comparison agrees with the node walk on real C headers and Verilog, normalized and edited', () => {
  const rnd = createRandom('ast-compare-cursor');
  const cases = [
    ...files('/usr/include/newlib', /\.h$/, 60).map((f) => ({ ...f, lang: 'c' })),
    ...files('/usr/share/yosys', /\.v$/, 25).map((f) => ({ ...f, lang: 'verilog' })),
  ];
  assert.ok(cases.length >= 60, 'libnewlib-dev and yosys are installed (scripts/setup.sh)');
  let equal = 0;
  let differ = 0;
  let incrementals = 0;
  for (const { path, text, lang } of cases) {
    const variants = [
      normalizeText(text, lang).text,
      text.replace(/\n/g, '  \n'),
      text + '\n/* trailing comment */\n',
      text.replace('"', '" '),
    ];
    for (let k = 0; k < 3; k++) {
      const at = rnd.int(Math.max(1, text.length));
      variants.push(text.slice(0, at) + text.slice(at + 1));
    }
    for (const v of variants) {
      const fast = compareAst(lang, text, v)!;
      if (lang === 'c') {
        // What compareAst does for C: the original's tree edited to v, then v parsed incrementally from it.
        const incremental = reparseEdited(lang, fresh(lang, text), v, textEdits(text, v));
        assert.equal(incremental.rootNode.toString(), fresh(lang, v).rootNode.toString(), `${path}: incremental parse of a variant`);
        incrementals++;
      }
      const slow = firstAstDifference(lang, text, v);
      assert.equal(fast.equal, slow === null, `${path}: cursor walk says ${fast.equal}, node walk says ${slow}`);
      if (!fast.equal) assert.equal(fast.reason, slow);
      if (fast.equal) equal++;
      else differ++;
    }
  }
  assert.ok(equal > 100 && differ > 50, `both outcomes exercised (${equal} equal, ${differ} differ)`);
  assert.ok(incrementals >= 400, `incremental parses checked against fresh ones: ${incrementals}`);
});

const fresh = (lang: string, text: string) => {
  const src = lang === 'cuda' ? maskCuda(text) : text;
  return getParser(grammarFor(lang)!).parse((i: number) => src.slice(i, i + 16384));
};

test('textEdits describe the change exactly: applied to the old text they give the new one', () => {
  const rnd = createRandom('text-edits');
  const apply = (a: string, edits: ReturnType<typeof textEdits>, b: string): string => {
    let t = a;
    for (const e of edits) t = t.slice(0, e.startIndex) + b.slice(e.startIndex, e.newEndIndex) + t.slice(e.oldEndIndex);
    return t;
  };
  const rowCol = (t: string, at: number) => {
    const before = t.slice(0, at).split('\n');
    return { row: before.length - 1, column: before[before.length - 1]!.length };
  };
  for (const { text } of files('/usr/include/newlib', /\.h$/, 40)) {
    const variants = [normalizeText(text, 'c').text, normalizeText(text.replace(/\n/g, '\r\n'), 'c').text, text.slice(0, rnd.int(text.length)) + 'x\n', text + '\n\n'];
    for (const v of variants) {
      const edits = textEdits(text, v);
      assert.equal(apply(text, edits, v), v);
      // Positions: start and new end in the edited text, old end in the text before this edit.
      let t = text;
      for (const e of edits) {
        assert.deepEqual(e.startPosition, rowCol(t, e.startIndex));
        assert.deepEqual(e.oldEndPosition, rowCol(t, e.oldEndIndex));
        t = t.slice(0, e.startIndex) + v.slice(e.startIndex, e.newEndIndex) + t.slice(e.oldEndIndex);
        assert.deepEqual(e.newEndPosition, rowCol(t, e.newEndIndex));
      }
    }
  }
});

test('cursor AST comparison on CUDA compares the masked source', () => {
  const cu = '__global__ void k(float *x) {\n  x[0] = 1;   \n}\nint main() { k<<<1, 1>>>(0); }\n';
  assert.deepEqual(compareAst('cuda', cu, cu.replace('1;   \n', '1;\n')), { equal: true });
  assert.equal(compareAst('cuda', cu, cu.replace('x[0] = 1', 'x[0] = 2'))!.equal, false);
  assert.equal(compareAst('markdown', 'a', 'b'), null);
});
