import type { Line, Run } from './layout.js';

/** A leading integer followed by whitespace or the end: "12", "12  module", "  7 int x;". */
const LEADING_NUMBER = /^(\s*)(\d{1,5})(?=\s|$)/;

/**
 * Splits a tentative line number off the start of a line. The number may be its
 * own run (LaTeX listings set numbers in the body font, left of the code) or
 * the start of a fixed-pitch run ("  12  always @(…)"). Whether numbers are
 * really line numbers is decided per listing (see {@link stripLineNumbers}).
 */
export function splitLineNumber(line: Line): { number: number | null; numberRuns: Run[]; runs: Run[] } {
  const runs = line.runs.filter((r) => r.text.trim().length > 0);
  const first = runs[0];
  const m = first ? LEADING_NUMBER.exec(first.text) : null;
  if (!first || !m) return { number: null, numberRuns: [], runs };
  const numberEnd = m[0].length;
  const rest = first.text.slice(numberEnd);
  const perChar = first.width / Math.max(1, first.text.length);
  const numberRun: Run = { ...first, text: m[2]!, x: first.x + perChar * m[1]!.length, width: perChar * m[2]!.length };
  if (rest.trim().length === 0) return { number: Number(m[2]), numberRuns: [numberRun], runs: runs.slice(1) };
  const lead = rest.length - rest.trimStart().length;
  const restRun: Run = { ...first, text: rest.trimStart(), x: first.x + perChar * (numberEnd + lead), width: perChar * rest.trimStart().length };
  return { number: Number(m[2]), numberRuns: [numberRun], runs: [restRun, ...runs.slice(1)] };
}

/**
 * Decides whether a listing's leading numbers are line numbers: most lines
 * carry one and they increase (by one, mostly — numbering may skip blank
 * lines). Data rows ("0 1 0 1") fail the increasing test and
 * keep their digits.
 */
export function looksLikeLineNumbers(numbers: ReadonlyArray<number | null>): boolean {
  const present = numbers.filter((n): n is number => n !== null);
  // A one-line numbered listing ("1  yosys -o out.blif -S in.v") starts at 1.
  if (numbers.length === 1 && present[0] === 1) return true;
  if (present.length < 2 || present.length < numbers.length * 0.6) return false;
  // OCR misreads a few numbers ("59" as "99"): a number fits when it follows or
  // precedes a neighbour by 1-4 (blank lines may be unnumbered); 85 % must fit.
  const near = (a: number | undefined, b: number | undefined): boolean => a !== undefined && b !== undefined && b - a >= 1 && b - a <= 4;
  const fit = present.filter((n, i) => near(present[i - 1], n) || near(n, present[i + 1])).length;
  let ones = 0;
  for (let i = 1; i < present.length; i++) if (present[i]! - present[i - 1]! === 1) ones++;
  return fit >= present.length * 0.85 && ones >= (present.length - 1) * 0.7 && present[present.length - 1]! > present[0]!;
}
