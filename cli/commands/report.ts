import { resolve } from 'node:path';
import { withCorpus } from '../with-corpus.js';
import { createTerminalProgress } from '../progress.js';
import { InputError } from '../../pipeline/errors.js';
import { readExportManifest } from '../../report/export-manifest.js';
import { writeReport, type ReportSummary } from '../../report/write-report.js';

export interface ReportCommandOpts {
  db?: string;
  out: string;
  export?: string;
  samples: number;
  generation?: number;
  json?: boolean;
}

/**
 * `incorpus report`: DIR/index.html for the current generation (or --generation N). The export it
 * shows is the one named by --export, else the one in --out itself (an export
 * directory); the manifest is the export's own record, so a copied or moved
 * export still reports right, and export stays a read-only job on the database.
 */
export async function reportCommand(opts: ReportCommandOpts): Promise<void> {
  await withCorpus(opts.db, { readonly: true }, async (db) => {
    const outDir = resolve(opts.out);
    const exportDir = resolve(opts.export ?? opts.out);
    const manifest = readExportManifest(exportDir);
    if (opts.export && !manifest) throw new InputError(`${exportDir} holds no manifest.json; name a directory written by incorpus export`);
    const from = exportDir === outDir ? 'manifest.json in this directory' : `${exportDir}/manifest.json`;
    const summary = await writeReport(db, { outDir, samples: opts.samples, ...(opts.generation !== undefined ? { generation: opts.generation } : {}), export: manifest ? { manifest, from } : null, progress: createTerminalProgress('report') });
    process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : formatReportSummary(summary, manifest !== null));
  });
}

export function formatReportSummary(s: ReportSummary, withExport: boolean): string {
  return (
    `report of generation ${s.generation}: ${s.path} (${s.charts} charts, ${(s.bytes / 1e3).toFixed(0)} kB, ${s.timings.totalMs} ms)\n` +
    (withExport ? '' : '  no export shown: pass --export DIR (or write the report into an export directory)\n')
  );
}
