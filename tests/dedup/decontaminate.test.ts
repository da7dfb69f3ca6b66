import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchmarks } from '../../dedup/benchmark-ngrams.js';
import { createDecontaminateStage, findOverlap } from '../../dedup/decontaminate.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { makeTempDir, runCli, writeTree } from '../helpers.js';
import { makeVerilog } from './fixtures.js';
import { spdxText } from '../filters/filter-fixtures.js';

const SOLUTION = 'module top_module (input [7:0] in, output [7:0] out);\n  assign out = {in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]};\nendmodule\n';

const ADDER = `module adder_8bit (input [7:0] a, input [7:0] b, input cin, output [7:0] sum, output cout);
  wire [8:0] c;
  assign c[0] = cin;
  genvar i;
  generate for (i = 0; i < 8; i = i + 1) begin : fa
    assign sum[i] = a[i] ^ b[i] ^ c[i];
    assign c[i + 1] = (a[i] & b[i]) | (c[i] & (a[i] ^ b[i]));
  end endgenerate
  assign cout = c[8];
endmodule
`;

/** A VerilogEval-style JSONL benchmark and a plain-file benchmark, written for the tests. */
function writeBenchmarks(dir: string): { jsonl: string; plain: string } {
  const jsonl = join(dir, 'verilog-eval.jsonl');
  writeFileSync(
    jsonl,
    [
      JSON.stringify({ task_id: 'vector2', prompt: 'Reverse the bit order of an 8-bit vector.', canonical_solution: SOLUTION }),
      JSON.stringify({ task_id: 'short', prompt: 'AND gate', canonical_solution: 'assign y = a & b;' }),
    ].join('\n') + '\n',
  );
  const plain = join(dir, 'rtllm-adder.v');
  writeFileSync(plain, ADDER);
  return { jsonl, plain };
}

test('13-gram overlap finds a reformatted benchmark solution and names the record', () => {
  const { jsonl } = writeBenchmarks(makeTempDir());
  const index = loadBenchmarks([jsonl], 13);
  assert.equal(index.records, 2);
  assert.ok(index.skipped >= 2, 'texts shorter than 13 tokens are not evidence');
  const reformatted = '// my design\n' + SOLUTION.replace(/\n  /g, '\n\t').replace(/, /g, ',');
  const hit = findOverlap(reformatted, index, 1);
  assert.equal(hit?.benchmark, 'verilog-eval.jsonl:vector2');
  assert.match(hit!.excerpt, /module top_module/);
  assert.equal(findOverlap('assign y = a & b;\n' + makeVerilog('clean'), index, 1), null, 'a short shared line is not contamination');
});

test('rebuild --decontaminate drops files overlapping the named benchmarks; why names the benchmark', () => {
  const dir = makeTempDir();
  const { jsonl, plain } = writeBenchmarks(dir);
  const repo = writeTree(join(dir, 'repo'), {
    LICENSE: spdxText('MIT'), // the default license policy drops unlicensed files
    'leak/vector2.v': '// found online\n' + SOLUTION,
    'leak/adder.v': ADDER.replace(/\n/g, '\r\n'),
    'clean/top.v': makeVerilog('clean-top'),
  });
  const env = { INCORPUS_DB: join(dir, 'c.db') };
  assert.equal(runCli(['crawl', 'dir', repo, '--repo', 'me/leaky'], { env }).status, 0);
  const r = runCli(['rebuild', '--decontaminate', jsonl, plain, '--json'], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).droppedBy['decontaminate/benchmark-overlap'], 2);
  const why = JSON.parse(runCli(['why', 'me/leaky:leak/vector2.v', '--json'], { env }).stdout);
  assert.equal(why.verdict.reason, 'benchmark-overlap');
  assert.equal(why.verdict.details.benchmark, 'verilog-eval.jsonl:vector2');
  assert.equal(JSON.parse(runCli(['why', 'me/leaky:leak/adder.v', '--json'], { env }).stdout).verdict.details.benchmark, 'rtllm-adder.v');
  assert.equal(JSON.parse(runCli(['why', 'me/leaky:clean/top.v', '--json'], { env }).stdout).verdict.verdict, 'keep');

  // flag instead of drop, from a config file (arrays are accepted there too)
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ decontaminate: { files: [jsonl], action: 'flag' } }));
  const flagged = runCli(['rebuild', '--config', cfg, '--json'], { env });
  assert.equal(JSON.parse(flagged.stdout).droppedBy['decontaminate/benchmark-overlap'], undefined);
  const kept = JSON.parse(runCli(['why', 'me/leaky:leak/vector2.v', '--json'], { env }).stdout);
  assert.equal(kept.verdict.verdict, 'keep');
  assert.equal(kept.verdict.details.contamination.benchmark, 'verilog-eval.jsonl:vector2');
});

test('bad benchmark input is a clear error, not a silent pass', () => {
  const dir = makeTempDir();
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"task_id": 1}\nnot json\n');
  const env = { INCORPUS_DB: join(dir, 'c.db') };
  runCli(['crawl', 'dir', writeTree(join(dir, 'r'), { 'a.v': makeVerilog('a') })], { env });
  const r = runCli(['rebuild', '--decontaminate', bad], { env });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.jsonl:2 is not valid JSON/);
  const missing = runCli(['rebuild', '--decontaminate', join(dir, 'nope.jsonl')], { env });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read benchmark file .*nope\.jsonl/);
  assert.throws(() => mergeConfig({ decontaminate: { files: 'one.jsonl' } }), /decontaminate\.files must be a list of strings/);
  assert.throws(() => createDecontaminateStage({ action: 'delete' }), /decontaminate\.action must be "drop" or "flag"/);
});
