import { resolve } from 'node:path';
import { withCorpus } from '../with-corpus.js';
import { exportCorpus, type ExportSummary } from '../../export/export-corpus.js';
import type { ExportCompression, ExportFormat, ExportOptions, FimSpanMode, TokenizerName } from '../../export/export-options.js';
import { resolveDbPath } from '../../corpus/db.js';
import { resolveQueue } from '../queue-options.js';
import { createTerminalProgress } from '../progress.js';

export interface ExportCommandOpts {
  db?: string;
  out: string;
  format: ExportFormat;
  compress?: ExportCompression;
  shardSize: number;
  fimRate: number;
  spmRate: number;
  fimSpans: FimSpanMode;
  astRatio: number;
  fimTokens: string;
  repoLevel: boolean;
  repoSampleSize: number;
  valFraction: number;
  seed: number;
  domain?: string[];
  lang?: string[];
  verified?: string[];
  tokenizer: TokenizerName;
  threads: number;
  generation?: number;
  report: boolean;
  json?: boolean;
  queue?: string;
  store?: string;
  partDocs?: number;
}

export async function exportCommand(opts: ExportCommandOpts): Promise<void> {
  const queue = resolveQueue(opts);
  const exportOpts = (): ExportOptions => ({
      outDir: resolve(opts.out),
      ...(opts.generation !== undefined ? { generation: opts.generation } : {}),
      format: opts.format,
      ...(opts.compress ? { compress: opts.compress } : {}),
      shardBytes: opts.shardSize,
      fimRate: opts.fimRate,
      spmRate: opts.spmRate,
      fimSpans: opts.fimSpans,
      astRatio: opts.astRatio,
      fimTokens: opts.fimTokens,
      repoLevel: opts.repoLevel,
      repoSampleBytes: opts.repoSampleSize,
      valFraction: opts.valFraction,
      seed: opts.seed,
      domains: opts.domain ?? [],
      langs: opts.lang ?? [],
      verified: opts.verified ?? [],
      tokenizer: opts.tokenizer,
      threads: opts.threads,
      report: opts.report,
      progress: createTerminalProgress('export'),
    });
  const summary = queue
    ? await (await import('../../queue/queued-export.js')).queuedExport(resolveDbPath(opts.db), exportOpts(), {
      ...queue, ...(opts.partDocs ? { partDocs: opts.partDocs } : {}),
      partProgress: createTerminalProgress('export parts'), shardProgress: createTerminalProgress('export shards'),
    })
    : await withCorpus(opts.db, { readonly: true }, (reader) => exportCorpus(reader, exportOpts()));
  process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : formatExportSummary(summary));
}

export function formatExportSummary(s: ExportSummary): string {
  const files = s.files.map((f) => `  ${f.name}: ${f.records} records, ${f.bytes} bytes (${f.fileBytes} on disk)`).join('\n');
  const splits = Object.entries(s.splits).map(([k, t]) => `${k} ${t.records}`).join(', ');
  const spans = `char ${s.fimSpans.char}, syntax node ${s.fimSpans['ast-node']}, sibling run ${s.fimSpans['ast-run']}`;
  return (
    `exported generation ${s.generation}: ${s.records} records (FIM psm ${s.fim.psm}, spm ${s.fim.spm}, plain ${s.fim.none}) to ${s.outDir}\n` +
    `  splits: ${splits || 'none'}; FIM spans: ${spans}${s.tokens !== undefined ? `; ${s.tokens} tokens` : ''}\n` +
    (files ? files + '\n' : '') +
    `  manifest: ${s.outDir}/manifest.json, dataset card: ${s.outDir}/README.md${s.report ? `, report: ${s.report}` : ''}\n`
  );
}
