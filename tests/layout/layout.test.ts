import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTempDir, REPO_ROOT, writeTree } from '../helpers.js';
import { buildImportGraph, findCycles, layerViolations, listSources, sqlOutsideStores } from './import-graph.js';

/**
 * Which top-level folders each folder may import, bottom to top: the stage
 * contract, the store, the stages (with their own state), the two jobs that
 * compose them, then the CLI, tests and benchmarks. README § Architecture
 * explains the layers; a new folder must be placed here.
 */
const STAGES = ['annotate', 'filters', 'dedup', 'ocr', 'crawlers'];
const LIBRARY = ['pipeline', 'corpus', ...STAGES, 'rebuild', 'report', 'export'];
const LAYERS: Record<string, readonly string[]> = {
  pipeline: [],
  corpus: ['pipeline'],
  annotate: ['pipeline', 'corpus'],
  filters: ['pipeline', 'corpus', 'annotate'],
  dedup: ['pipeline', 'corpus', 'annotate', 'filters'],
  ocr: ['pipeline', 'corpus', 'annotate'],
  crawlers: ['pipeline', 'corpus', 'annotate', 'ocr'],
  rebuild: ['pipeline', 'corpus', ...STAGES.filter((s) => s !== 'crawlers' && s !== 'ocr')],
  // The corpus report reads the store only; export writes it next to the dataset card.
  report: ['pipeline', 'corpus'],
  export: ['pipeline', 'corpus', 'annotate', 'report'],
  // Scale-out: the same jobs as BullMQ jobs on Redis; may compose anything below cli/.
  queue: LIBRARY,
  cli: [...LIBRARY, 'queue'],
  tests: [...LIBRARY, 'queue'],
  bench: [...LIBRARY, 'queue', 'tests'],
};

const graph = buildImportGraph(REPO_ROOT);

test('layout: the source tree has no import cycles (static, type-only or dynamic)', () => {
  assert.ok(graph.size > 200, `read ${graph.size} source files`);
  assert.deepEqual(findCycles(graph), []);
});

test('layout: every top-level folder imports only the layers below it', () => {
  assert.deepEqual(layerViolations(graph, LAYERS), []);
});

test('layout: SQL runs only in corpus/ and in stage-owned *-store.ts modules', () => {
  assert.deepEqual(sqlOutsideStores(REPO_ROOT, listSources(REPO_ROOT), ['tests']), []);
});

test('layout: the checks find a planted cycle, a layer breach and stray SQL', () => {
  const root = writeTree(makeTempDir('incorpus-layout-'), {
    'corpus/a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
    'corpus/b.ts': "export type B = 1;\nexport const load = () => import('./a.js');\n",
    'corpus/c.ts': "import { x } from '../dedup/x.js';\nexport const c = x;\n",
    'dedup/x.ts': "export const x = (db: any) => db.prepare('SELECT 1').get();\n",
    'dedup/ok.ts': "export const m = /a(b)/.exec('ab');\n",
  });
  const planted = buildImportGraph(root);
  assert.deepEqual(findCycles(planted), [['corpus/a.ts', 'corpus/b.ts']]);
  assert.deepEqual(layerViolations(planted, { corpus: [], dedup: ['corpus'] }), ['corpus/c.ts → dedup/x.ts (corpus/ may use only nothing)']);
  assert.deepEqual(sqlOutsideStores(root, listSources(root), []), ['dedup/x.ts']);
});
