/**
 * The whitespace-insensitive form used by exact dedup: CRLF → LF, runs of spaces
 * and tabs → one space, trailing whitespace and blank lines removed. Two files
 * that differ only in indentation style or trailing spaces get the same form.
 * (Python files that differ only in indentation depth would too; such pairs are
 * near-duplicates anyway.)
 */
export function normalizeWhitespace(text: string): string {
  const out: string[] = [];
  // Runs of spaces and tabs never span a line break: folded over the whole text
  // at once, as line by line (one regex pass instead of one per line).
  for (const line of text.replace(/[ \t\f\v]+/g, ' ').split(/\r\n|\r|\n/)) {
    const folded = line.trim();
    if (folded.length > 0) out.push(folded);
  }
  return out.join('\n');
}
