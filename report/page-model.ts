import type { BarChart } from './chart-specs.js';

/**
 * What the report page is made of, before any HTML: sections of figures (a
 * chart and the table of its numbers) and sample lists. Section builders
 * return these; template.ts is the one place that turns them into HTML.
 */

/** A table cell: text, a number (formatted by the template), or a link to a sample list. */
export type Cell = string | number | null | { text: string; href: string };

export interface Table {
  head: string[];
  rows: Cell[][];
  /** Rows left out to keep the page bounded (the note says so). */
  omitted?: number;
}

export interface Figure {
  id: string;
  title: string;
  /** Null when there is nothing to draw; `empty` then says why. */
  chart: BarChart | null;
  table: Table;
  note?: string;
  empty?: string;
}

export interface Section {
  id: string;
  title: string;
  intro: string;
  figures: Figure[];
}

/** A few files of one group, each with the recorded reason in words. */
export interface SampleGroup {
  id: string;
  title: string;
  /** Files in the group (the list shows at most the sample size). */
  total: number;
  entries: Array<{ where: string; docId: string; why: string }>;
}

export interface SampleSection {
  id: string;
  title: string;
  intro: string;
  groups: SampleGroup[];
}

export interface ReportPage {
  title: string;
  subtitle: string;
  /** Headline numbers: label, value. */
  summary: Array<[string, string]>;
  sections: Section[];
  samples: SampleSection[];
}

/** A stable HTML id from any string: lowercase, [a-z0-9-], never empty. */
export function slug(...parts: string[]): string {
  const s = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'x';
}

/** Keeps the first `max` rows of a table and counts the rest. */
export function capRows(rows: Cell[][], max: number): { rows: Cell[][]; omitted?: number } {
  return rows.length > max ? { rows: rows.slice(0, max), omitted: rows.length - max } : { rows };
}

/** Human byte sizes for tables: 3 significant digits, SI units (1 kB = 1000 B), a no-break space before the unit. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n}\u00a0B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toPrecision(3)}\u00a0${units[u]}`;
}

export const formatShare = (n: number, total: number): string => (total > 0 ? `${((100 * n) / total).toFixed(1)}\u00a0%` : '–');
