/**
 * `npm run bench:faults:escapes`: the hostile-input part of issue 12's fault
 * campaign for verification — every include / `$readmemh` / `.incbin` /
 * `#include_next` / `` `include `` escape form (absolute, `../`, macro-built,
 * parameter-built, instance overrides, build-file include dirs, symlinks
 * planted in the repository; tests/annotate/escape-cases.ts) at every sandbox
 * level. Prints each case's outcome, whether anything of the planted host file
 * reached the stored result (must be "no" everywhere), and its time.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeSandbox } from '../annotate/verify/sandbox-session.js';
import { SANDBOX_LEVELS } from '../annotate/verify/sandbox.js';
import { verifyDoc } from '../annotate/verify/verify-doc.js';
import { openCorpus } from '../corpus/db.js';
import { crawlDir } from '../crawlers/crawl-dir.js';
import { ESCAPE_CASES, materializeCase, plantSecret } from '../tests/annotate/escape-cases.js';
import { verifyEnvFor } from '../tests/annotate/verify-env.js';
import { makeDoc, writeTree } from '../tests/helpers.js';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-bench-escapes-'));
  try {
    const secret = plantSecret(join(dir, 'host'));
    const db = openCorpus(join(dir, 'c.db'));
    const texts = ESCAPE_CASES.map((c, i) => {
      const files = materializeCase(c, secret);
      const root = writeTree(join(dir, `case-${i}`), files);
      for (const [p, target] of Object.entries(c.links ?? {})) {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        symlinkSync(target.replace('SECRET_DIR', secret.dir), join(root, p));
      }
      crawlDir(db, { path: root, repo: `case/${i}` });
      return files;
    });
    console.log('incorpus bench: include/readmem/incbin escapes in every HDL and C form, at every sandbox level');
    console.log('| case | level | status | host content stored | time |');
    console.log('|---|---|---|---|---|');
    let leaks = 0;
    let cases = 0;
    for (const level of SANDBOX_LEVELS) {
      const why = await probeSandbox(level);
      if (why) {
        console.log(`| (all) | ${level} | level unavailable here: ${why} | - | - |`);
        continue;
      }
      const env = verifyEnvFor(db, { sandbox: level });
      env.onMissingTool = () => {};
      for (const [i, c] of ESCAPE_CASES.entries()) {
        const t0 = performance.now();
        const v = await verifyDoc(makeDoc(c.target, texts[i]![c.target]!, { repo: `case/${i}` }), env);
        const ms = performance.now() - t0;
        const stored = JSON.stringify(v);
        const leaked = stored.includes(secret.token) || stored.includes(secret.dir);
        leaks += Number(leaked);
        cases++;
        console.log(`| ${c.name} | ${level} | ${v ? `${v.status}${v.kind ? `/${v.kind}` : ''}` : 'no check'} | ${leaked ? 'YES' : 'no'} | ${ms.toFixed(0)} ms |`);
      }
      env.pool.close();
    }
    console.log(`\n${cases} case runs, ${leaks} with host content in the stored result (target 0)`);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
