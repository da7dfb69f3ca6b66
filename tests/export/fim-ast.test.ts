import { test } from 'node:test';
import assert from 'node:assert/strict';
import type ParserType from 'tree-sitter';
import { parseSource } from '../../annotate/tree-sitter.js';
import { transformDoc, type TransformConfig } from '../../export/transform.js';
import { pickWholeNode } from '../../export/fim-ast-spans.js';
import { applyFim, reassembleFim } from '../../export/fim.js';
import { getFimTokens } from '../../export/fim-tokens.js';
import { createRandom } from '../../pipeline/seeded-random.js';
import { SOURCES } from './export-fixture.js';

const TOKENS = getFimTokens('starcoder');
const LANG: Record<string, string> = { v: 'verilog', sv: 'systemverilog', cu: 'cuda', c: 'c', h: 'c', cpp: 'cpp', py: 'python' };
const config = (astShare: number, spmRate = 0.5): TransformConfig => ({ seed: 0, fimRate: 1, spmRate, astShare, tokens: TOKENS });

/** Every node of a tree, found by an independent walk (not the code under test). */
function allNodes(tree: ParserType.Tree): ParserType.SyntaxNode[] {
  const out: ParserType.SyntaxNode[] = [];
  const visit = (n: ParserType.SyntaxNode): void => {
    out.push(n);
    for (const c of n.children) visit(c);
  };
  visit(tree.rootNode);
  return out;
}

/** True when [lo, hi) is exactly one node, or a run of consecutive children of one node. */
function isSyntaxSpan(tree: ParserType.Tree, lo: number, hi: number, kind: string): boolean {
  for (const n of allNodes(tree)) {
    if (kind === 'ast-node' && n.startIndex === lo && n.endIndex === hi && n.parent) return true;
    if (kind === 'ast-run') {
      const kids = n.children;
      const i = kids.findIndex((k) => k.startIndex === lo);
      const j = kids.findIndex((k) => k.endIndex === hi);
      if (i !== -1 && j >= i) return true;
    }
  }
  return false;
}

test('AST spans are whole syntax nodes or sibling runs (re-parsed), for C, C++, CUDA, Python, Verilog, SystemVerilog', () => {
  const kinds = { 'ast-node': 0, 'ast-run': 0 };
  const langs = new Set<string>();
  for (const [path, text] of Object.entries(SOURCES)) {
    const lang = LANG[path.split('.').pop()!];
    if (!lang) continue;
    for (let k = 0; k < 30; k++) {
      const out = transformDoc({ id: `${path}#${k}`, lang, text }, config(1));
      assert.ok(out.fim && out.span, `${path}: FIM applied`);
      assert.equal(reassembleFim(out.text, out.fim, TOKENS), text, `${path}: reassembles`);
      const { lo, hi, kind } = out.span;
      // The record's middle is the source slice, in either layout.
      assert.ok(out.text.endsWith(TOKENS.middle + (out.fim === 'spm' ? text.slice(0, hi) : text.slice(lo, hi))));
      assert.notEqual(kind, 'char', `${path}: parsed file gets a syntax span (${out.astFallback})`);
      const tree = parseSource(lang, text)!;
      assert.ok(isSyntaxSpan(tree, lo, hi, kind), `${path} [${lo}, ${hi}) ${JSON.stringify(text.slice(lo, hi))} is a ${kind}`);
      kinds[kind as 'ast-node' | 'ast-run']++;
      langs.add(lang);
    }
  }
  assert.deepEqual([...langs].sort(), ['c', 'cpp', 'cuda', 'python', 'systemverilog', 'verilog']);
  assert.ok(kinds['ast-node'] > 20 && kinds['ast-run'] > 20, `both strategies used: ${JSON.stringify(kinds)}`);
});

test('span offsets are UTF-16 units, so non-ASCII text before the node does not shift it', () => {
  const text = SOURCES['cuda/scale.cu']!;
  const tree = parseSource('cuda', text)!;
  const fn = allNodes(tree).find((n) => n.type === 'function_definition')!;
  assert.equal(text.slice(fn.startIndex, fn.endIndex), fn.text);
  assert.ok(text.slice(fn.startIndex).startsWith('__global__') || text.slice(fn.startIndex).startsWith('void'));
});

test('files without a grammar or that do not parse fall back to character spans', () => {
  const tcl = transformDoc({ id: 't', lang: 'tcl', text: SOURCES['scripts/synth.tcl']! }, config(1));
  assert.equal(tcl.span?.kind, 'char');
  assert.equal(tcl.astFallback, 'no-grammar');
  const junk = transformDoc({ id: 'j', lang: 'c', text: '}}}} ))) ((( {{{{ ;;; ]]] [[[ @@@ ### $$$ %%% ^^^\n'.repeat(4) }, config(1));
  assert.equal(junk.span?.kind, 'char');
  assert.ok(junk.astFallback === 'parse-error' || junk.astFallback === 'no-node');
});

test('--ast-ratio mixes syntax and character spans; char mode is the plain Bavarian transform', () => {
  const text = SOURCES['rtl/fifo.v']!;
  let ast = 0;
  const n = 400;
  for (let k = 0; k < n; k++) if (transformDoc({ id: `m${k}`, lang: 'verilog', text }, config(0.9)).span!.kind !== 'char') ast++;
  assert.ok(ast > 0.8 * n && ast < 0.97 * n, `~90 % syntax spans, got ${ast}/${n}`);
  for (let k = 0; k < 20; k++) {
    const plain = applyFim(text, createRandom(`0:c${k}`), { fimRate: 1, spmRate: 0.5, tokens: TOKENS });
    assert.equal(transformDoc({ id: `c${k}`, lang: 'verilog', text }, config(0)).text, plain.text);
  }
});

test('a whole node is picked with probability proportional to its size', () => {
  const text = 'def mm(x, y):\n    z = x * 1.0\n    return z + y\n';
  const tree = parseSource('python', text)!;
  const candidates = allNodes(tree).filter((n) => n.parent && n.isNamed && n.endIndex > n.startIndex && n.endIndex - n.startIndex <= text.length / 2);
  const total = candidates.reduce((s, n) => s + n.endIndex - n.startIndex, 0);
  const seen = new Map<string, number>();
  const rng = createRandom('weights');
  const draws = 6000;
  for (let k = 0; k < draws; k++) {
    const span = pickWholeNode(tree, text.length, rng)!;
    seen.set(`${span.lo}:${span.hi}`, (seen.get(`${span.lo}:${span.hi}`) ?? 0) + 1);
  }
  // Nodes with the same extent (e.g. an identifier and its parent expression) share a key.
  const expected = new Map<string, number>();
  for (const n of candidates) expected.set(`${n.startIndex}:${n.endIndex}`, (expected.get(`${n.startIndex}:${n.endIndex}`) ?? 0) + (n.endIndex - n.startIndex) / total);
  for (const [key, p] of expected) assert.ok(Math.abs((seen.get(key) ?? 0) / draws - p) < 0.02, `${key}: observed ${(seen.get(key) ?? 0) / draws}, expected ${p.toFixed(3)}`);
  assert.deepEqual([...seen.keys()].filter((k) => !expected.has(k)), []);
});
