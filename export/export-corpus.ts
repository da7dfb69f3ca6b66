import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../corpus/db.js';
import { CARD_MARKER, renderDatasetCard } from './dataset-card.js';
import { astShare, resolveExportOptions, type ExportConfig, type ExportOptions } from './export-options.js';
import { fileRecord, type ExportRecord } from './records.js';
import { buildRepoSamples, type RepoMember } from './repo-level.js';
import { CARD, MANIFEST, createShardSet, prepareOutDir, type ShardInfo } from './shards.js';
import { planSplits, type SplitPlan } from './splits.js';
import { createExportStats, type ExportStats } from './export-stats.js';
import { loadTokenCounter } from './token-count.js';
import { transformDocs } from './transform-pool.js';
import type { FimTokens } from './fim-tokens.js';
import { requireCurrentGeneration, type GenerationRow } from '../corpus/generations.js';
import { countKeptDocs, iterateKeptDocs } from '../corpus/kept-docs.js';
import type { ExportManifest } from './manifest.js';

export interface ExportSummary extends ExportStats {
  generation: number;
  outDir: string;
  files: ShardInfo[];
  /** Path of the corpus report written next to the card (absent with report: false). */
  report?: string;
}

/**
 * `incorpus export`: the current generation's kept documents (or repository
 * samples) as FIM training shards, split by repository, with manifest.json and
 * a dataset card. Output depends only on the corpus generation and the
 * options: records are ordered by document id (or repository and path), each
 * document's randomness is seeded by its id, and no timestamp is written.
 */
export async function exportCorpus(reader: Db, opts: ExportOptions): Promise<ExportSummary> {
  const { config, tokens, progress } = resolveExportOptions(opts);
  const gen = requireCurrentGeneration(reader);
  prepareOutDir(opts.outDir, CARD_MARKER);
  // All reads before the document stream opens: the connection is busy while it iterates.
  const plan = planSplits(reader, gen.id, config.valFraction);
  const filter = { domains: config.domains, langs: config.langs, verified: config.verified, orderBy: config.repoLevel ? ('repo' as const) : ('id' as const) };
  progress.total(countKeptDocs(reader, gen.id, filter));
  const stats = createExportStats(await loadTokenCounter(config.tokenizer));
  const shards = createShardSet(opts.outDir, config);
  const transformConfig = { seed: config.seed, fimRate: config.fimRate, spmRate: config.spmRate, astShare: astShare(config), tokens };
  const transformed = transformDocs(iterateKeptDocs(reader, gen.id, filter), transformConfig, config.threads);
  let files: ShardInfo[];
  try {
    const records = config.repoLevel ? repoRecords(transformed, tokens, plan, stats, config.repoSampleBytes) : fileRecords(transformed, plan, stats);
    for await (const { record, docs } of records) {
      stats.addRecord(record);
      await shards.write(record);
      progress.tick(docs);
    }
    files = await shards.close();
  } catch (err) {
    await shards.abort();
    throw err;
  } finally {
    progress.done();
  }
  const manifest = buildManifest(gen, plan, config, tokens, stats.snapshot(), files);
  writeFileSync(join(opts.outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(opts.outDir, CARD), renderDatasetCard(manifest));
  const report = opts.report === false ? null : await writeExportReport(reader, opts.outDir, manifest);
  return { ...stats.snapshot(), generation: gen.id, outDir: opts.outDir, files, ...(report ? { report } : {}) };
}

type Transformed = AsyncIterable<RepoMember>;
type Stats = ReturnType<typeof createExportStats>;

async function* fileRecords(docs: Transformed, plan: SplitPlan, stats: Stats): AsyncGenerator<{ record: ExportRecord; docs: number }> {
  for await (const { doc, out } of docs) {
    stats.addDoc(out);
    yield { record: fileRecord(doc, out, plan.splitOf(doc.repo)), docs: 1 };
  }
}

/** Groups the repository-ordered stream into samples per repository. */
async function* repoRecords(docs: Transformed, tokens: FimTokens, plan: SplitPlan, stats: Stats, maxBytes: number): AsyncGenerator<{ record: ExportRecord; docs: number }> {
  let group: RepoMember[] = [];
  const emit = (): Array<{ record: ExportRecord; docs: number }> => {
    if (group.length === 0) return [];
    const { records, excluded } = buildRepoSamples(group, tokens, plan.splitOf(group[0]!.doc.repo), maxBytes);
    stats.addExcluded(excluded.length);
    const excludedSet = new Set(excluded);
    for (const m of group) if (!excludedSet.has(m)) stats.addDoc(m.out);
    // Progress counts documents: the first sample of a repository carries them all.
    const out = records.map((record, k) => ({ record, docs: k === 0 ? group.length : 0 }));
    group = [];
    return out;
  };
  for await (const member of docs) {
    if (group.length > 0 && group[0]!.doc.repo !== member.doc.repo) yield* emit();
    group.push(member);
  }
  yield* emit();
}

function buildManifest(gen: GenerationRow, plan: SplitPlan, config: ExportConfig, tokens: FimTokens, stats: ExportStats, files: ShardInfo[]): ExportManifest {
  const { splitOf: _splitOf, ...planStats } = plan;
  const { threads: _threads, ...shaping } = config;
  return {
    generation: gen.id,
    corpus: { generation: gen.id, finishedAt: gen.finishedAt, rebuildConfig: gen.config },
    ...stats,
    splitPlan: { by: 'repository, grouped by recorded duplicates (duplicateOf, cluster)', ...planStats },
    files,
    config: { ...shaping, tokens },
  };
}

/** The corpus report beside the card, showing this export; imported lazily, so `--no-report` never loads the chart libraries. */
async function writeExportReport(reader: Db, outDir: string, manifest: ExportManifest): Promise<string> {
  const { writeReport } = await import('../report/write-report.js');
  return (await writeReport(reader, { outDir, export: { manifest, from: 'manifest.json in this directory' } })).path;
}
