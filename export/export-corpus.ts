import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../corpus/db.js';
import { CARD_MARKER, renderDatasetCard } from './dataset-card.js';
import { astShare, resolveExportOptions, type ExportConfig, type ExportOptions } from './export-options.js';
import { fileRecord, type ExportRecord } from './records.js';
import { createRepoSampler, excludedFromSample, repoNameUsable } from './repo-level.js';
import { extractDeps, orderFiles, type FileDeps } from './repo-deps.js';
import { CARD, MANIFEST, createShardSet, prepareOutDir, type ShardInfo } from './shards.js';
import { planSplits, type SplitPlan } from './splits.js';
import { createExportStats, type ExportStats } from './export-stats.js';
import { loadTokenCounter } from './token-count.js';
import { createTransformer, type Transformer } from './transform-pool.js';
import type { TransformConfig, TransformOutput } from './transform.js';
import type { Progress } from '../pipeline/progress.js';
import type { FimTokens } from './fim-tokens.js';
import { requireGeneration, type GenerationRow } from '../corpus/generations.js';
import { runInReadTransaction } from '../corpus/db.js';
import { countKeptDocs, iterateKeptDocMeta, iterateKeptDocs, readKeptText, type KeptDoc, type KeptDocFilter, type KeptDocMeta } from '../corpus/kept-docs.js';
import type { ExportManifest } from './manifest.js';

export interface ExportSummary extends ExportStats {
  generation: number;
  outDir: string;
  files: ShardInfo[];
  /** Path of the corpus report written next to the card (absent with report: false). */
  report?: string;
}

/**
 * `incorpus export`: a generation's kept documents (or repository samples) as
 * FIM training shards, split by repository, with manifest.json and a dataset
 * card. Output depends only on the corpus generation and the options: records
 * are ordered by document id (or repository and path), each document's
 * randomness is seeded by its id, and no timestamp is written. Every read is
 * in one read transaction, so a rebuild that swaps in a new generation, prunes
 * this one or collects its blobs meanwhile changes nothing this export sees.
 */
export async function exportCorpus(reader: Db, opts: ExportOptions): Promise<ExportSummary> {
  return runInReadTransaction(reader, () => exportGeneration(reader, opts));
}

/** What an export decided before writing a record: shared by the in-process export and `export --queue`. */
export interface ExportPlan {
  config: ExportConfig;
  tokens: FimTokens;
  progress: Progress;
  gen: GenerationRow;
  plan: SplitPlan;
  filter: KeptDocFilter;
  transformConfig: TransformConfig;
}

/** Resolves the options, pins the generation, readies `outDir` and plans the splits (every read before the document stream opens). */
export function planExport(reader: Db, opts: ExportOptions): ExportPlan {
  const { config, tokens, progress } = resolveExportOptions(opts);
  const gen = requireGeneration(reader, opts.generation);
  prepareOutDir(opts.outDir, CARD_MARKER);
  const plan = planSplits(reader, gen.id, config.valFraction);
  return { config, tokens, progress, gen, plan, filter: exportFilter(config), transformConfig: transformConfigOf(config, tokens) };
}

/** Which kept documents, in which order, an export reads. */
export function exportFilter(config: ExportConfig): KeptDocFilter {
  return { domains: config.domains, langs: config.langs, verified: config.verified, orderBy: config.repoLevel ? 'repo' : 'id' };
}

/** What the FIM transform gets from the export's options. */
export function transformConfigOf(config: ExportConfig, tokens: FimTokens): TransformConfig {
  return { seed: config.seed, fimRate: config.fimRate, spmRate: config.spmRate, astShare: astShare(config), tokens };
}

/** What the record stream reports besides records: per document (FIM outcome) and files left out of repository samples. */
export interface DocSink {
  addDoc(out: TransformOutput): void;
  addExcluded(n: number): void;
}

/**
 * The export's records in output order, for the whole generation or one
 * slice of it (`filter.range`): file records by document id, or repository
 * samples. `docs` is how many documents a record accounts for (progress).
 */
export function exportRecords(
  reader: Db,
  p: Pick<ExportPlan, 'gen' | 'config' | 'tokens' | 'filter'> & { splitOf: SplitPlan['splitOf'] },
  transformer: Transformer,
  sink: DocSink,
): AsyncGenerator<{ record: ExportRecord; docs: number }> {
  return p.config.repoLevel
    ? repoRecords(reader, p.gen.id, p.filter, transformer, p.tokens, p.splitOf, sink, p.config.repoSampleBytes)
    : fileRecords(transformer.transform(iterateKeptDocs(reader, p.gen.id, p.filter)), p.splitOf, sink);
}

async function exportGeneration(reader: Db, opts: ExportOptions): Promise<ExportSummary> {
  const p = planExport(reader, opts);
  const { config, progress, gen, filter } = p;
  progress.total(countKeptDocs(reader, gen.id, filter));
  const stats = createExportStats(await loadTokenCounter(config.tokenizer));
  const shards = createShardSet(opts.outDir, config);
  const transformer = await createTransformer(p.transformConfig, config.threads);
  let files: ShardInfo[];
  try {
    for await (const { record, docs } of exportRecords(reader, { ...p, splitOf: p.plan.splitOf }, transformer, stats)) {
      stats.addRecord(record);
      await shards.write(record);
      progress.tick(docs);
    }
    files = await shards.close();
  } catch (err) {
    await shards.abort();
    throw err;
  } finally {
    await transformer.close();
    progress.done();
  }
  return finishExport(reader, opts, p, stats.snapshot(), files);
}

/** Writes manifest.json, the dataset card and the report for the written shards; the export's summary. */
export async function finishExport(reader: Db, opts: ExportOptions, p: ExportPlan, stats: ExportStats, files: ShardInfo[]): Promise<ExportSummary> {
  const manifest = buildManifest(p.gen, p.plan, p.config, p.tokens, stats, files);
  writeFileSync(join(opts.outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(opts.outDir, CARD), renderDatasetCard(manifest));
  const report = opts.report === false ? null : await writeExportReport(reader, opts.outDir, manifest, p.gen.id);
  return { ...stats, generation: p.gen.id, outDir: opts.outDir, files, ...(report ? { report } : {}) };
}

type Transformed = AsyncIterable<{ doc: KeptDoc; out: TransformOutput }>;

async function* fileRecords(docs: Transformed, splitOf: SplitPlan['splitOf'], stats: DocSink): AsyncGenerator<{ record: ExportRecord; docs: number }> {
  for await (const { doc, out } of docs) {
    stats.addDoc(out);
    yield { record: fileRecord(doc, out, splitOf(doc.repo)), docs: 1 };
  }
}

/**
 * Repository samples, streamed: per repository (its kept files arrive by path,
 * metadata only) a first pass reads each text once for its dependency facts
 * and lets it go, then the files are read again in dependency order,
 * transformed, and cut into samples as they come — no repository is ever held
 * in memory, only its dependency graph and the sample being built.
 */
async function* repoRecords(
  reader: Db,
  genId: number,
  filter: KeptDocFilter,
  transformer: Transformer,
  tokens: FimTokens,
  splitOf: SplitPlan['splitOf'],
  stats: DocSink,
  maxBytes: number,
): AsyncGenerator<{ record: ExportRecord; docs: number }> {
  for (const group of byRepository(iterateKeptDocMeta(reader, genId, filter))) {
    const members: Array<{ meta: KeptDocMeta; deps: FileDeps }> = [];
    let excluded = 0;
    for (const meta of group) {
      const text = readKeptText(reader, meta.sha256);
      if (text === null || !repoNameUsable(tokens, meta.repo) || excludedFromSample(tokens, meta.path, text)) excluded++;
      else members.push({ meta, deps: extractDeps({ path: meta.path, lang: meta.lang, text }) });
    }
    stats.addExcluded(excluded);
    const order = orderFiles(members.map((m) => m.deps));
    function* inOrder(): Generator<KeptDoc> {
      for (const i of order) {
        const meta = members[i]!.meta;
        yield { ...meta, text: readKeptText(reader, meta.sha256) ?? '' };
      }
    }
    const sampler = createRepoSampler(tokens, splitOf(group[0]!.repo), maxBytes);
    // Progress counts documents: the first sample of a repository carries the excluded ones.
    let extra = excluded;
    const counted = (record: ExportRecord) => {
      const docs = extra + record.meta.files!.length;
      extra = 0;
      return { record, docs };
    };
    for await (const { doc, out } of transformer.transform(inOrder())) {
      stats.addDoc(out);
      const record = sampler.add(doc, out);
      if (record) yield counted(record);
    }
    const last = sampler.finish();
    if (last) yield counted(last);
  }
}

/** Consecutive documents of one repository (the stream is ordered by repository). */
function* byRepository(docs: Iterable<KeptDocMeta>): Generator<KeptDocMeta[]> {
  let group: KeptDocMeta[] = [];
  for (const d of docs) {
    if (group.length > 0 && group[0]!.repo !== d.repo) {
      yield group;
      group = [];
    }
    group.push(d);
  }
  if (group.length > 0) yield group;
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
async function writeExportReport(reader: Db, outDir: string, manifest: ExportManifest, generation: number): Promise<string> {
  const { writeReport } = await import('../report/write-report.js');
  return (await writeReport(reader, { outDir, generation, export: { manifest, from: 'manifest.json in this directory' } })).path;
}
