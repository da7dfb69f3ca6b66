/**
 * Accuracy measures for extracted listings, shared by the tests and the
 * literature benchmark.
 */

/**
 * Character error rate: Levenshtein distance over the reference length, with
 * all whitespace removed from both sides. Spacing inside lines differs between
 * text layers (pdfjs adds spaces at kerning gaps) and OCR; indentation is
 * measured separately by {@link indentAccuracy}.
 */
export function characterErrorRate(hypothesis: string, reference: string): number {
  const h = [...hypothesis.replace(/\s+/g, '')];
  const r = [...reference.replace(/\s+/g, '')];
  if (r.length === 0) return h.length === 0 ? 0 : 1;
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[h.length]! / r.length;
}

/**
 * Share of reference lines whose indentation the hypothesis has exactly. Lines
 * are paired in order by their first non-space characters (blank lines skipped),
 * so a dropped or extra line costs only itself.
 */
export function indentAccuracy(hypothesis: string, reference: string): { exact: number; total: number } {
  const key = (l: string): string => l.trim().replace(/\s+/g, '').slice(0, 12);
  const hyp = hypothesis.split('\n').filter((l) => l.trim());
  const ref = reference.split('\n').filter((l) => l.trim());
  let j = 0;
  let exact = 0;
  for (const line of ref) {
    const want = key(line);
    const at = hyp.slice(j, j + 4).findIndex((h) => characterErrorRate(key(h), want) <= 0.34);
    if (at < 0) continue;
    const h = hyp[j + at]!;
    if (h.length - h.trimStart().length === line.length - line.trimStart().length) exact++;
    j += at + 1;
  }
  return { exact, total: ref.length };
}
