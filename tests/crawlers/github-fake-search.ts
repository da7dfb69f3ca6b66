import type { RepoFacts } from './github-fixture-shapes.js';

/**
 * The subset of GitHub's repository search syntax the crawler and recall send:
 * language:, topic:, user:/org:, fork:, stars:, size:, created: (ranges `a..b`,
 * `a..*`, `>n`, `>=n`, `<n`, single values), in: (ignored), and free words that
 * must all appear in the name, description or topics.
 */
/** Linguist aliases GitHub search accepts (`language:cpp` is C++). */
const ALIASES: Record<string, string> = { cpp: 'c++', 'c-sharp': 'c#', csharp: 'c#', sv: 'systemverilog' };

export function matchesQuery(f: RepoFacts, q: string): boolean {
  let forkMode = 'false';
  for (const tok of q.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(\w+):(.+)$/.exec(tok);
    if (!m) {
      const hay = `${f.full_name} ${f.description ?? ''} ${f.topics.join(' ')}`.toLowerCase();
      if (!hay.includes(tok.toLowerCase().replace(/^"|"$/g, ''))) return false;
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    switch (key.toLowerCase()) {
      case 'language': if ((f.language ?? '').toLowerCase() !== (ALIASES[value.toLowerCase()] ?? value.toLowerCase())) return false; break;
      case 'topic': if (!f.topics.includes(value.toLowerCase())) return false; break;
      case 'user': case 'org': if (!f.full_name.toLowerCase().startsWith(`${value.toLowerCase()}/`)) return false; break;
      case 'fork': forkMode = value; break;
      case 'stars': if (!inRange(f.stars, value, Number)) return false; break;
      case 'size': if (!inRange(f.size, value, Number)) return false; break;
      case 'created': if (!inRange(f.created_at.slice(0, 10), value, String)) return false; break;
      case 'in': case 'archived': case 'sort': break;
      default: return false;
    }
  }
  if (forkMode === 'false' && f.fork) return false;
  if (forkMode === 'only' && !f.fork) return false;
  return true;
}

function inRange<T extends number | string>(v: T, spec: string, conv: (s: string) => T): boolean {
  const r = /^(.*)\.\.(.*)$/.exec(spec);
  if (r) return (r[1] === '*' || v >= conv(r[1]!)) && (r[2] === '*' || v <= conv(r[2]!));
  const c = /^(>=|<=|>|<)(.+)$/.exec(spec);
  if (c) {
    const x = conv(c[2]!);
    return c[1] === '>=' ? v >= x : c[1] === '<=' ? v <= x : c[1] === '>' ? v > x : v < x;
  }
  return v === conv(spec);
}

const CODE_EXTS: Record<string, RegExp> = {
  python: /\.py$/, cuda: /\.cuh?$/, c: /\.[ch]$/, 'c++': /\.(?:cc|cpp|hpp|h)$/, verilog: /\.v$/, systemverilog: /\.svh?$/, vhdl: /\.vhdl?$/,
};

/** Code search: every quoted phrase (or bare word) in the file, and `language:` by file extension. */
export function matchingCodeFiles(files: Record<string, string | Buffer>, q: string): string[] {
  const lang = /(?:^|\s)language:(\S+)/.exec(q)?.[1]?.toLowerCase();
  const phrases = [...q.replace(/(?:^|\s)language:\S+/g, ' ').matchAll(/"([^"]+)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const ext = lang ? CODE_EXTS[ALIASES[lang] ?? lang] : undefined;
  return Object.entries(files)
    .filter(([path, body]) => (!lang || (ext?.test(path) ?? false)) && phrases.every((p) => body.toString().includes(p)))
    .map(([path]) => path)
    .sort();
}
