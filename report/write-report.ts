import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../corpus/db.js';
import { InputError } from '../pipeline/errors.js';
import { silentProgress, type Progress } from '../pipeline/progress.js';
import { barChartSpec } from './chart-specs.js';
import type { ExportView } from './export-manifest.js';
import { formatBytes, type ReportPage } from './page-model.js';
import { gatherReportData, type GatherOptions, type ReportData } from './report-data.js';
import { dupSection } from './section-dups.js';
import { exportSection } from './section-export.js';
import { funnelSection } from './section-funnel.js';
import { licenseSection } from './section-licenses.js';
import { literatureSection } from './section-literature.js';
import { mixSection } from './section-mix.js';
import { piiSection } from './section-pii.js';
import { sampleSections } from './section-samples.js';
import { verificationSection } from './section-verification.js';
import { REPORT_MARKER, renderPage } from './template.js';
import { renderChartSvg } from './vega-svg.js';

export const REPORT_FILE = 'index.html';

/** Options of `incorpus report` (and of the report `export` writes). */
export interface ReportOptions {
  /** Directory that gets index.html. */
  outDir: string;
  /** Files listed per drop reason, verification status, license decision and PII kind. @default 10 */
  samples?: number;
  /** The export to show, and where it came from (a path, for the page). @default none */
  export?: { manifest: ExportView; from: string } | null;
  /** A retained generation instead of the current one (what `export --generation N` exported). @default the current */
  generation?: number;
  /** Steps: reading the verdicts, each chart, writing. @default silent */
  progress?: Progress;
}

export interface ReportSummary {
  path: string;
  generation: number;
  charts: number;
  figures: number;
  bytes: number;
  /** Time spent in SQL, in chart rendering, in total (ms). */
  timings: { gatherMs: number; chartsMs: number; totalMs: number };
}

/**
 * Writes DIR/index.html for the current (or a retained) generation: one self-contained page,
 * deterministic for a given corpus and export (no clock, no host names), so
 * an export directory stays byte-identical across re-exports. Written under a
 * temporary name and renamed, so a reader never sees half a page.
 */
export async function writeReport(db: Db, opts: ReportOptions): Promise<ReportSummary> {
  const t0 = performance.now();
  const progress = opts.progress ?? silentProgress;
  prepareReportDir(opts.outDir);
  progress.tick(0, 'reading verdicts');
  const gather: GatherOptions = { export: opts.export ?? null, ...(opts.samples !== undefined ? { samples: opts.samples } : {}), ...(opts.generation !== undefined ? { generation: opts.generation } : {}) };
  const data = gatherReportData(db, gather);
  const t1 = performance.now();
  const page = buildPage(data);
  const charted = page.sections.flatMap((s) => s.figures).filter((f) => f.chart);
  progress.total(charted.length + 1);
  progress.tick(1, 'drawing charts');
  const svgs = new Map<string, string>();
  for (const f of charted) {
    svgs.set(f.id, await renderChartSvg(barChartSpec(f.chart!), f.id));
    progress.tick(1, f.id);
  }
  progress.done();
  const t2 = performance.now();
  const html = renderPage(page, svgs);
  const path = join(opts.outDir, REPORT_FILE);
  const tmp = join(opts.outDir, `.${REPORT_FILE}.partial`);
  writeFileSync(tmp, html);
  renameSync(tmp, path);
  return {
    path,
    generation: data.generation.id,
    charts: svgs.size,
    figures: page.sections.reduce((n, s) => n + s.figures.length, 0),
    bytes: Buffer.byteLength(html),
    timings: { gatherMs: Math.round(t1 - t0), chartsMs: Math.round(t2 - t1), totalMs: Math.round(performance.now() - t0) },
  };
}

/** The page model of a report: every section in reading order. */
export function buildPage(d: ReportData): ReportPage {
  const g = d.generation;
  const keptBytes = d.verdicts.filter((v) => v.verdict === 'keep').reduce((n, v) => n + v.bytes, 0);
  return {
    title: `incorpus corpus report — generation ${g.id}`,
    subtitle: `Rebuilt ${when(g.finishedAt)} from ${d.raw.files.toLocaleString('en-US')} current files in ${d.raw.repos.toLocaleString('en-US')} repositories. Every chart has its numbers in the table beside it.`,
    summary: [
      ['files seen', g.seen.toLocaleString('en-US')],
      ['kept', g.kept.toLocaleString('en-US')],
      ['dropped', g.dropped.toLocaleString('en-US')],
      ['kept bytes', formatBytes(keptBytes)],
      ['repositories', d.raw.repos.toLocaleString('en-US')],
      ...(d.export ? ([['exported records', d.export.manifest.records.toLocaleString('en-US')]] as Array<[string, string]>) : []),
    ],
    sections: [funnelSection(d), mixSection(d), licenseSection(d), dupSection(d), verificationSection(d), piiSection(d), literatureSection(d), exportSection(d)],
    samples: sampleSections(d),
  };
}

/** An ISO time as "2026-05-01 14:03 UTC". */
const when = (iso: string | null): string => (iso && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'at an unknown time');

/** Creates the directory; refuses to overwrite an index.html that is not an incorpus report. */
function prepareReportDir(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, REPORT_FILE);
  if (existsSync(path) && !readFileSync(path, 'utf8').includes(REPORT_MARKER)) {
    throw new InputError(`${path} exists and is not an incorpus report; choose another --out or move it`);
  }
}
