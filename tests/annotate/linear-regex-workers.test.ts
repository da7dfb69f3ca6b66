import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

// re2 1.23.x aborts the whole process (V8 "Check failed: node->IsInUse()" in
// WrappedRE2Set::Init) when a worker thread loads it after an earlier worker that
// had loaded it has exited — which is what a worker pool does when it shrinks and
// grows. CI lost seven test files to it. package.json pins 1.22.3, which reloads
// cleanly; this test loads re2 through our wrapper in one worker after another
// (and in the main thread between them) and matches in each.
const moduleUrl = new URL('../../annotate/linear-regex.js', import.meta.url).href;
const workerCode = `
  const { parentPort } = require('node:worker_threads');
  import(${JSON.stringify(moduleUrl)}).then(({ re2 }) => {
    parentPort.postMessage(re2(/a+b/).test('xxaaab') && !re2(/a+b/).test('aaaa'));
  });
`;

function oneWorker(): Promise<{ matched: unknown; exitCode: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerCode, { eval: true });
    let matched: unknown;
    w.on('message', (m) => {
      matched = m;
      void w.terminate();
    });
    w.on('error', reject);
    w.on('exit', (exitCode) => resolve({ matched, exitCode }));
  });
}

test('re2 loads and matches in successive worker threads (a pool that shrinks and grows)', async () => {
  for (let i = 0; i < 4; i++) {
    const { matched } = await oneWorker();
    assert.equal(matched, true, `worker ${i}`);
    if (i === 1) {
      const { re2 } = await import(moduleUrl);
      assert.equal(re2(/c+d/).test('ccd'), true, 'main thread');
    }
  }
  // Two at once, as the pool runs them.
  const both = await Promise.all([oneWorker(), oneWorker()]);
  assert.deepEqual(both.map((r) => r.matched), [true, true]);
});
