/**
 * Search terms mined from accepted repositories' prose (README and other
 * markdown): words that several accepted repositories use and no rejected one
 * does — "wishbone", "cortex", "systolic" — become new repository searches.
 * Prose, not code, because search matches names, descriptions and READMEs, and
 * code tokens (`posedge`, `endmodule`) never appear there.
 */

// Words too common in any README to say anything about a domain.
const STOP = new Set(
  ('this that with from have will your which their there about into when what where these those them then than '
  + 'also more most some such only other over under after before each been being were using used uses make makes '
  + 'project projects repository code file files build example examples license licensed please support version '
  + 'github https http readme install installation usage should would could based simple written design source').split(' '),
);

const WORD = /[a-z][a-z0-9-]{3,24}/g;

function words(text: string): Set<string> {
  return new Set((text.toLowerCase().match(WORD) ?? []).filter((w) => !STOP.has(w) && !/^\d/.test(w)));
}

/**
 * The top `k` terms by the number of accepted repositories using them, among
 * terms used by at least two accepted repositories and by no rejected one,
 * skipping terms already searched.
 */
export function mineTerms(accepted: string[][], rejected: string[][], k: number, known: ReadonlySet<string> = new Set()): string[] {
  const bad = new Set<string>();
  for (const docs of rejected) for (const d of docs) for (const w of words(d)) bad.add(w);
  const df = new Map<string, number>();
  for (const docs of accepted) {
    const seen = new Set<string>();
    for (const d of docs) for (const w of words(d)) seen.add(w);
    for (const w of seen) if (!bad.has(w) && !known.has(w)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  return [...df].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, k).map(([w]) => w);
}

/** Prose files of a repository, by path. */
export function isProse(path: string): boolean {
  return /(?:^|\/)readme(?:\.[a-z]+)?$|\.(?:md|rst|txt)$/i.test(path) && !/(?:^|\/)(?:licen[cs]e|copying)/i.test(path);
}
