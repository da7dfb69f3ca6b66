// Runs every compiled test file under dist/tests with node's test runner, two
// files at a time (the machines have 2 cores). Node 20's `--test` does not
// expand globs, hence this script.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const filter = process.argv[2];
const files = findTests('dist/tests').filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/tests (did the build run?)');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
