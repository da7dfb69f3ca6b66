import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openCorpus } from '../../corpus/db.js';
import { currentGeneration } from '../../corpus/generations.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { rebuild } from '../../rebuild/rebuild.js';
import { mergeConfig } from '../../rebuild/rebuild-config.js';
import { makeTempDir, writeTree } from '../helpers.js';

test('tree-sitter-verilog loads in every worker thread (the Node-API build), not only the first', async () => {
  const script = `
    const { createRequire } = require('node:module');
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData).then((m) => {
      const tree = m.parseSource('verilog', 'module m(input clk); always @(posedge clk) q <= d; endmodule');
      parentPort.postMessage(tree.rootNode.descendantsOfType('module_declaration').length);
    }, (e) => parentPort.postMessage('error: ' + e.message));`;
  const module = new URL('../../annotate/tree-sitter.js', import.meta.url).href;
  const { parseSource } = await import(module);
  assert.equal(parseSource('verilog', 'module a; endmodule').rootNode.type, 'source_file', 'main thread first, as the rebuild does');
  const results = await Promise.all(
    [0, 1, 2].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(script, { eval: true, workerData: module });
          w.once('message', (m) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  assert.deepEqual(results, [1, 1, 1]);
});

test('a rebuild on two worker threads annotates every Verilog file with its modules', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 150; i++) files[`rtl/m${i}.v`] = `module m${i} #(parameter W = ${i + 1}) (input clk, input rst_n, output reg [W-1:0] q);\n  always @(posedge clk or negedge rst_n) if (!rst_n) q <= 0; else q <= q + ${i};\nendmodule\n`;
  const dbPath = join(makeTempDir(), 'c.db');
  const db = openCorpus(dbPath);
  crawlDir(db, { path: writeTree(makeTempDir(), files), repo: 'hdl/many' });
  db.close();
  // No LICENSE in the tree: keep unlicensed files (the default policy drops them).
  const config = mergeConfig({ verify: { enabled: false }, nearDedup: { enabled: false }, license: { noLicense: 'keep' } });
  await rebuild(dbPath, { threads: 2, config });
  const r = openCorpus(dbPath, { readonly: true });
  const rows = r.prepare("SELECT details FROM verdicts WHERE gen_id = ? AND verdict = 'keep'").pluck().all(currentGeneration(r)!.id) as string[];
  r.close();
  assert.equal(rows.length, 150);
  for (const d of rows) {
    const modules = (JSON.parse(d) as { structure?: { modules?: Array<{ clocks: string[] }> } }).structure?.modules;
    assert.equal(modules?.length, 1, d.slice(0, 200));
    assert.deepEqual(modules![0]!.clocks, ['clk']);
  }
});
