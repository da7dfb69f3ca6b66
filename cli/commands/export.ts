import { resolve } from 'node:path';
import { openCorpus, resolveDbPath } from '../../corpus/db.js';
import { exportJsonl, type ExportSummary } from '../../corpus/export-jsonl.js';
import { createTerminalProgress } from '../progress.js';

export interface ExportCommandOpts {
  db?: string;
  out: string;
  compress: 'none' | 'gzip';
  fimRate: number;
  spmRate: number;
  fimTokens: string;
  seed: number;
  json?: boolean;
}

export async function exportCommand(opts: ExportCommandOpts): Promise<void> {
  const reader = openCorpus(resolveDbPath(opts.db), { readonly: true });
  try {
    const summary = await exportJsonl(reader, {
      outDir: resolve(opts.out),
      compress: opts.compress,
      fimRate: opts.fimRate,
      spmRate: opts.spmRate,
      fimTokens: opts.fimTokens,
      seed: opts.seed,
      progress: createTerminalProgress('export'),
    });
    process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : formatExportSummary(summary));
  } finally {
    reader.close();
  }
}

export function formatExportSummary(s: ExportSummary): string {
  const files = s.files.map((f) => `  ${f.name}: ${f.records} records, ${f.bytes} bytes`).join('\n');
  return (
    `exported generation ${s.generation}: ${s.records} records (FIM psm ${s.fim.psm}, spm ${s.fim.spm}, plain ${s.fim.none}) to ${s.outDir}\n` +
    (files ? files + '\n' : '') +
    `  manifest: ${s.outDir}/manifest.json\n`
  );
}
