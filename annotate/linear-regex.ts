import { createRequire } from 'node:module';

type Re2Constructor = new (pattern: RegExp | string, flags?: string) => RegExp;
let RE2: Re2Constructor | null = null;
// One compiled program per pattern: call sites may write re2(/…/) inline in a loop.
const compiled = new Map<string, RegExp>();

/**
 * The same pattern compiled by RE2 (npm `re2`, Google's automaton engine): match
 * time is linear in the input, whatever the pattern, so crawled text cannot make
 * it backtrack. For the patterns over crawled text that V8's backtracking engine
 * would run in super-linear time and that cannot be rewritten simply (bounded
 * `{0,1200}?` spans, long alternations). The result works wherever a RegExp does
 * (`replace`, `match`, `matchAll`, `split`, `test`, `exec`); one instance per
 * pattern is kept and handed out with lastIndex reset, like a module-level literal. RE2 has no
 * lookaround and no backreferences; it throws on them at compile time.
 *
 * The native addon is loaded on first use, so commands that never match crawled
 * text (stats, why) do not pay for it. tests/layout/regex-safety.test.ts treats
 * a literal passed here as linear and proves every other one with recheck.
 */
export function re2(pattern: RegExp): RegExp {
  const key = `${pattern.flags}/${pattern.source}`;
  let r = compiled.get(key);
  if (!r) {
    RE2 ??= loadRe2();
    r = new RE2(pattern);
    if (r.global) reuseClonesForMatchAll(r, RE2);
    compiled.set(key, r);
  }
  r.lastIndex = 0;
  return r;
}

/**
 * node-re2's `[Symbol.matchAll]` compiles a fresh copy of the pattern on every
 * call (`new RE2(this)`, as the spec's species clone), so `text.matchAll(re)`
 * once per document paid the compilation each time: ~7 ms per call for the
 * case-insensitive credential-keyword pattern of the PII rules, 150× the match
 * itself on typical source files (the PII stage spent 78 s of thread time on
 * 10k files). Here each instance keeps its clones and reuses a free one: the
 * iteration is independent of the instance's own lastIndex, as with a clone,
 * but a pattern is compiled at most once per level of nested iteration.
 */
function reuseClonesForMatchAll(r: RegExp, RE2: Re2Constructor): void {
  const free: RegExp[] = [];
  Object.defineProperty(r, Symbol.matchAll, {
    value: function* matchAll(this: RegExp, str: string): Generator<RegExpExecArray> {
      const it = free.pop() ?? new RE2(this);
      it.lastIndex = this.lastIndex;
      try {
        for (;;) {
          const m = it.exec(str);
          if (!m) break;
          if (m[0] === '') ++it.lastIndex;
          yield m;
        }
      } finally {
        free.push(it);
      }
    },
  });
}

function loadRe2(): Re2Constructor {
  try {
    return createRequire(import.meta.url)('re2') as Re2Constructor;
  } catch (err) {
    throw new Error('the re2 native module is missing or failed to build: run `npm ci` (it builds from source when no prebuilt binary can be downloaded)', { cause: err });
  }
}
