import { posix } from 'node:path';
import type { CheckSpec } from '../annotate/verify/check-specs.js';
import type { CheckEnv, CheckInput } from '../annotate/verify/run-check.js';
import { runCheck } from '../annotate/verify/run-check.js';
import { findToolchain } from '../annotate/verify/toolchains.js';
import type { Db } from '../corpus/db.js';
import { listAllRepoFiles, readRepoFileText } from '../corpus/repo-files.js';

/**
 * The anchor issue 15 measures against: a 40-line resolver anyone would write.
 * HDL: the closure of files defining a module whose name appears as a word
 * in the file, deps first, every directory of the repository as -I, iverilog
 * -g2012. C: every directory holding a header as -I, gcc -fsyntax-only. No
 * build files, vendor models, stubs or second opinions.
 */
export function createNaiveResolver(db: Db) {
  const repos = new Map<string, { texts: Map<string, string>; definers: Map<string, string>; dirs: string[]; headerDirs: string[] }>();
  const load = (repo: string) => {
    let r = repos.get(repo);
    if (r) return r;
    const texts = new Map<string, string>();
    const definers = new Map<string, string>();
    const dirs = new Set<string>();
    const headerDirs = new Set<string>();
    for (const f of listAllRepoFiles(db, repo)) {
      if (/\.(?:s?v|s?vh)$/.test(f.path)) {
        const t = readRepoFileText(db, f.sha256) ?? '';
        texts.set(f.path, t);
        dirs.add(posix.dirname(f.path));
        for (const m of t.matchAll(/^\s*module\s+(\w+)/gm)) if (!definers.has(m[1]!)) definers.set(m[1]!, f.path);
      } else if (/\.(?:h|hpp)$/.test(f.path)) {
        texts.set(f.path, readRepoFileText(db, f.sha256) ?? '');
        headerDirs.add(posix.dirname(f.path));
      }
    }
    r = { texts, definers, dirs: [...dirs], headerDirs: [...headerDirs] };
    repos.set(repo, r);
    return r;
  };
  return async (repo: string, path: string, text: string, lang: string, env: CheckEnv): Promise<string> => {
    const r = load(repo);
    const hdl = lang === 'verilog' || lang === 'systemverilog';
    const tool = findToolchain(hdl ? 'iverilog' : 'gcc');
    if (!tool) return 'toolchain-missing';
    let input: CheckInput;
    if (hdl) {
      const deps = new Set<string>();
      // Names a file of the closure defines itself are never fetched again (another board's `module fpga`).
      const defined = new Set<string>();
      const own = (t: string): void => {
        for (const m of t.matchAll(/^\s*module\s+(\w+)/gm)) defined.add(m[1]!);
      };
      own(text);
      const queue = [text];
      while (queue.length > 0) {
        for (const w of new Set(queue.shift()!.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
          const p = r.definers.get(w);
          if (p && p !== path && !deps.has(p) && !defined.has(w)) {
            deps.add(p);
            own(r.texts.get(p) ?? '');
            queue.push(r.texts.get(p) ?? '');
          }
        }
      }
      input = { target: { path, text }, deps: [...deps].map((p) => ({ path: p, text: r.texts.get(p)! })), includeDirs: r.dirs };
    } else {
      input = { target: { path, text }, headers: [...r.texts].filter(([p]) => /\.(?:h|hpp)$/.test(p) && p !== path).map(([p, t]) => ({ path: p, text: t })), includeDirs: r.headerDirs };
    }
    const spec: CheckSpec = hdl
      ? { kind: 'compile', tool: 'iverilog', flags: ['-g2012', '-t', 'null', 'naive'], context: 'hdl', args: (t, d, inc) => ['-g2012', '-t', 'null', ...inc.map((i) => `-I${i}`), ...d, t] }
      : { kind: 'compile', tool: 'gcc', flags: ['naive'], context: 'c-headers', args: (t, _d, inc) => ['-fsyntax-only', '-w', path.endsWith('.h') ? '-xc-header' : '-xc', ...inc.flatMap((i) => ['-I', i]), t] };
    return (await runCheck(spec, tool, input, env)).status;
  };
}
