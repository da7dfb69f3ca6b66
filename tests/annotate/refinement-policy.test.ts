import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refinementCounters, settleRefinement, type RefinementEnv } from '../../annotate/verify/refinement-policy.js';
import type { CheckEnv } from '../../annotate/verify/run-check.js';
import type { Doc } from '../../pipeline/doc.js';
import { makeDoc } from '../helpers.js';
import { requireTool } from './toolchain-required.js';
import { withProofEnv, plant, readReal, REAL, redact, tidy, untidy } from './refinement-fixtures.js';

/**
 * A document as the verify stage receives it: crawled text `original`, then
 * the stages in `steps` applied in order (each entry the text after it).
 */
function refinedDoc(path: string, lang: string, original: string, steps: Array<[string, string]>): Doc {
  const doc = makeDoc(path, original, { lang, domain: lang === 'c' ? 'general' : 'chip-design' });
  let text = original;
  for (const [stage, after] of steps) {
    if (doc.modifiedBy.length > 0) (doc.textBefore ??= {})[stage] = text;
    doc.modifiedBy.push(stage);
    text = after;
  }
  doc.text = text;
  doc.annotations.normalize = { changes: ['trailing-whitespace', 'blank-runs'], check: 'ast-equal' };
  return doc;
}

const withOriginal = (env: CheckEnv, original: string): RefinementEnv => ({ ...env, loadOriginal: () => original });

test('a layout fix that changes the design is reverted: the crawled text ships', async () => {
  requireTool('yosys');
  await withProofEnv(async (env) => {
    const original = untidy(readReal(REAL.anlogicCells));
    // A buggy "normalization" that flipped an operator while tidying.
    const broken = plant(tidy(original, 'verilog'), 'assign o = a + b + c;', 'assign o = a + b - c;');
    const doc = refinedDoc('rtl/cells_sim.v', 'verilog', original, [['normalize', broken]]);
    const v = (await settleRefinement(doc, { target: { path: doc.path, text: broken } }, withOriginal(env, original)))!;
    assert.equal(v.status, 'mismatch');
    assert.equal(v.shipped, 'original');
    assert.deepEqual(v.steps.map((s) => [s.stage, s.status, s.action]), [['normalize', 'mismatch', 'reverted']]);
    assert.equal(doc.text, original, 'the export gets the crawled text');
    assert.deepEqual(doc.modifiedBy, [], 'nothing modified: the runner exports the crawled blob');
    assert.match((doc.annotations.normalize as { reverted: string }).reverted, /^mismatch: design differs in \\AL_MAP_ADDER/);
    assert.deepEqual(refinementCounters(v), ['refinement:mismatch', 'refinement-shipped:original', 'refinement:reverted']);
  });
});

test('after a redaction, a layout fix is proven against the redacted text and reverted to it — the e-mail never comes back', async () => {
  requireTool('yosys');
  await withProofEnv(async (env) => {
    const original = untidy(readReal(REAL.achronixCells));
    const redacted = await redact(original, 'verilog', 'cells_sim.v');
    const broken = plant(tidy(redacted, 'verilog'), 'assign padout = padin;', 'assign padout = ~padin;');
    const doc = refinedDoc('rtl/cells_sim.v', 'verilog', original, [['pii', redacted], ['normalize', broken]]);
    const v = (await settleRefinement(doc, { target: { path: doc.path, text: broken } }, withOriginal(env, original)))!;
    assert.equal(v.shipped, 'redacted');
    assert.deepEqual(v.steps.map((s) => [s.stage, s.status, s.action]), [['pii', 'identical', 'kept'], ['normalize', 'mismatch', 'reverted']]);
    assert.equal(doc.text, redacted);
    assert.doesNotMatch(doc.text!, /claire@yosyshq\.com/);
    assert.deepEqual(doc.modifiedBy, ['pii']);
    assert.equal(doc.textBefore, undefined, 'the kept text is released');

    // The same redaction with a correct layout fix: both proven, the refined text ships (one proof run).
    const good = tidy(redacted, 'verilog');
    const ok = refinedDoc('rtl/cells_sim.v', 'verilog', original, [['pii', redacted], ['normalize', good]]);
    const runs = env.counters.runs;
    const w = (await settleRefinement(ok, { target: { path: ok.path, text: good } }, withOriginal(env, original)))!;
    assert.equal(w.status, 'identical');
    assert.equal(w.shipped, 'refined');
    assert.equal(ok.text, good);
    assert.equal(env.counters.runs - runs, 1);
  });
});

test('a redaction that changes the compiled program is recorded and counted, and the file ships redacted', async () => {
  requireTool('gcc');
  await withProofEnv(async (env) => {
    const original = plant(untidy(readReal(REAL.fastlzC)), '#define FASTLZ_SAFE', '#define FASTLZ_SAFE\nconst char *fastlz_author = "Ariya Hidayat <ariya@kde.org>";');
    const redacted = await redact(original, 'c', 'fastlz.c');
    const refined = tidy(redacted, 'c');
    const doc = refinedDoc('src/fastlz.c', 'c', original, [['pii', redacted], ['normalize', refined]]);
    const input = { target: { path: doc.path, text: refined }, headers: [{ path: 'src/fastlz.h', text: readReal(REAL.fastlzH) }], includeDirs: ['src'] };
    const v = (await settleRefinement(doc, input, withOriginal(env, original)))!;
    assert.equal(v.status, 'mismatch');
    assert.equal(v.shipped, 'refined', 'layout fix proven against the redacted text, so it stays');
    assert.deepEqual(v.steps.map((s) => [s.stage, s.status, s.action]), [['pii', 'mismatch', 'kept'], ['normalize', 'identical', 'kept']]);
    assert.match(v.detail, /^pii: assembly differs .* section \.(rodata|data)/);
    assert.equal(doc.text, refined);
    assert.doesNotMatch(doc.text!, /ariya@kde\.org/);
    assert.ok(refinementCounters(v).includes('refinement:redaction-changes-code'));
    assert.doesNotMatch(JSON.stringify(v), /ariya@kde\.org/, 'the verdict never carries the removed data');
  });
});

test('without the redacted text the layout fix cannot be separated: both are kept and the verdict says so', async () => {
  requireTool('gcc');
  await withProofEnv(async (env) => {
    const original = plant(readReal(REAL.fastlzC), '#define FASTLZ_SAFE', '#define FASTLZ_SAFE\nconst char *fastlz_author = "<ariya@kde.org>";');
    const redacted = await redact(original, 'c', 'fastlz.c');
    const refined = tidy(untidy(redacted), 'c');
    const doc = refinedDoc('src/fastlz.c', 'c', original, [['pii', redacted], ['normalize', refined]]);
    delete doc.textBefore;
    const input = { target: { path: doc.path, text: refined }, headers: [{ path: 'src/fastlz.h', text: readReal(REAL.fastlzH) }], includeDirs: ['src'] };
    const v = (await settleRefinement(doc, input, withOriginal(env, original)))!;
    assert.deepEqual(v.steps.map((s) => [s.stage, s.status, s.action]), [['pii', 'mismatch', 'kept'], ['normalize', 'not-checkable', 'kept']]);
    assert.equal(doc.text, refined, 'a redaction is never undone to revert a layout fix');
  });
});
