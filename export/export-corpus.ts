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
import type { TransformOutput } from './transform.js';
import type { FimTokens } from './fim-tokens.js';
import { requireGeneration, type GenerationRow } from '../corpus/generations.js';
import { runInReadTransaction } from '../corpus/db.js';
import { countKeptDocs, iterateKeptDocMeta, iterateKeptDocs, readKeptText, type KeptDoc, type KeptDocFilter, type KeptDocMeta } from '../corpus/kept-docs.js';
import type { ExportManifest } from './manifest.js';

export interface ExportSummary extends ExportStats {
  generation: number;
  outDir: string;
  files: ShardInfo[];
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

async function exportGeneration(reader: Db, opts: ExportOptions): Promise<ExportSummary> {
  const { config, tokens, progress } = resolveExportOptions(opts);
  const gen = requireGeneration(reader, opts.generation);
  prepareOutDir(opts.outDir, CARD_MARKER);
  // All reads before the document stream opens: the connection is busy while it iterates.
  const plan = planSplits(reader, gen.id, config.valFraction);
  const filter = { domains: config.domains, langs: config.langs, verified: config.verified, orderBy: config.repoLevel ? ('repo' as const) : ('id' as const) };
  progress.total(countKeptDocs(reader, gen.id, filter));
  const stats = createExportStats(await loadTokenCounter(config.tokenizer));
  const shards = createShardSet(opts.outDir, config);
  const transformConfig = { seed: config.seed, fimRate: config.fimRate, spmRate: config.spmRate, astShare: astShare(config), tokens };
  const transformer = await createTransformer(transformConfig, config.threads);
  let files: ShardInfo[];
  try {
    const records = config.repoLevel
      ? repoRecords(reader, gen.id, filter, transformer, tokens, plan, stats, config.repoSampleBytes)
      : fileRecords(transformer.transform(iterateKeptDocs(reader, gen.id, filter)), plan, stats);
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
    await transformer.close();
    progress.done();
  }
  const manifest = buildManifest(gen, plan, config, tokens, stats.snapshot(), files);
  writeFileSync(join(opts.outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(opts.outDir, CARD), renderDatasetCard(manifest));
  return { ...stats.snapshot(), generation: gen.id, outDir: opts.outDir, files };
}

type Transformed = AsyncIterable<{ doc: KeptDoc; out: TransformOutput }>;
type Stats = ReturnType<typeof createExportStats>;

async function* fileRecords(docs: Transformed, plan: SplitPlan, stats: Stats): AsyncGenerator<{ record: ExportRecord; docs: number }> {
  for await (const { doc, out } of docs) {
    stats.addDoc(out);
    yield { record: fileRecord(doc, out, plan.splitOf(doc.repo)), docs: 1 };
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
  plan: SplitPlan,
  stats: Stats,
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
    const sampler = createRepoSampler(tokens, plan.splitOf(group[0]!.repo), maxBytes);
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
