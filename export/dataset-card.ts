import type { ExportManifest } from './manifest.js';
import { SPLIT_NAMES } from './splits.js';
import type { Tally } from './export-stats.js';

/** Marks a README.md as ours, so a re-export may overwrite it and nothing else. */
export const CARD_MARKER = '<!-- incorpus dataset card -->';

/**
 * The dataset card (README.md) written next to the shards: Hugging Face's YAML
 * header (`configs` → `data_files` per split, so `load_dataset(dir)` finds the
 * splits) and the manifest's numbers as tables. Nothing in it depends on the
 * clock, so it is as deterministic as the shards.
 */
export function renderDatasetCard(m: ExportManifest): string {
  const splits = SPLIT_NAMES.filter((s) => m.splits[s]);
  const pattern = (split: string): string => `${split}-*.${m.files.find((f) => f.split === split)?.name.split('.').slice(1).join('.') ?? 'jsonl'}`;
  const tokens = m.tokens !== undefined;
  const head = ['---', 'license: other', 'license_details: "per record: meta.license (the repository\'s license claim)"', 'pretty_name: incorpus industrial code corpus',
    'task_categories:', '- text-generation', 'tags:', '- code', '- fill-in-the-middle', ...Object.keys(m.byLang).map((l) => `- ${l}`),
    'configs:', '- config_name: default', '  data_files:', ...splits.flatMap((s) => [`  - split: ${s}`, `    path: "${pattern(s)}"`]), '---', CARD_MARKER, ''];
  const c = m.config;
  const body = [
    '# incorpus industrial code corpus', '',
    `Exported by \`incorpus export\` from corpus generation ${m.generation} (rebuilt ${m.corpus.finishedAt ?? 'unknown'}): ${fmt(m.records)} records, ${mb(m.bytes)} of text${tokens ? `, ${fmt(m.tokens!)} ${c.tokenizer} tokens` : ''}.`,
    `Format: ${c.format}${c.compress === 'none' ? '' : ` (${c.compress})`}; ${c.repoLevel ? 'one sample per repository, files in dependency order' : 'one record per file'}.`, '',
    '## Splits', '', 'Split by repository; repositories linked by a recorded duplicate share a split, so no repository and no near-duplicate is in both.', '',
    table(['split', ...tallyHeads(tokens)], splits.map((s) => [s, ...tallyCells(m.splits[s]!, tokens)])), '',
    '## By domain', '', breakdown(m.byDomain, splits, tokens), '',
    '## By language', '', breakdown(m.byLang, splits, tokens), '',
    '## Fill-in-the-middle', '',
    `FIM rate ${c.fimRate}, SPM share ${c.spmRate}, tokens \`${c.fimTokens}\` (${c.tokens.prefix} ${c.tokens.suffix} ${c.tokens.middle}), spans \`${c.fimSpans}\`${c.fimSpans === 'mix' ? ` (syntax share ${c.astRatio})` : ''}, seed ${c.seed}.`,
    'Character spans follow Bavarian et al. 2022; syntax spans (whole tree-sitter nodes, or runs of siblings) follow AST-FIM (Gong et al. 2025).', '',
    table(['', 'count'], [['PSM', fmt(m.fim.psm)], ['SPM', fmt(m.fim.spm)], ['no FIM', fmt(m.fim.none)], ['character span', fmt(m.fimSpans.char)],
      ['syntax node', fmt(m.fimSpans['ast-node'])], ['sibling run', fmt(m.fimSpans['ast-run'])],
      ...Object.entries(m.astFallback).map(([k, v]) => [`syntax → character (${k})`, fmt(v)]),
      ...Object.entries(m.fimSkipped).map(([k, v]) => [`FIM skipped (${k})`, fmt(v)])]), '',
    '## Record format', '',
    '`{"id", "text", "meta": {"kind", "source", "repo", "path", "lang", "domain", "license", "sha256", "fim", "commit", "split", "fim_span", "fim_middle"' + (c.repoLevel ? ', "files"' : '') + '}}`.',
    '`fim` is `psm`, `spm` or null; `fim_middle` is the masked span [start, end) in UTF-16 units of the source; `sha256` is the source text\'s hash, which every record reassembles to.', '',
    '## Selection', '',
    `Domains: ${c.domains.join(', ') || 'all'}. Languages: ${c.langs.join(', ') || 'all'}. Verification: ${c.verified.join(', ') || 'any'}. Validation fraction: ${c.valFraction}.`, '',
  ];
  return [...head, ...body].join('\n');
}

function breakdown(by: Record<string, Partial<Record<string, Tally>>>, splits: string[], tokens: boolean): string {
  const rows = Object.entries(by).flatMap(([key, per]) => splits.filter((s) => per[s]).map((s) => [key, s, ...tallyCells(per[s]!, tokens)]));
  return table(['', 'split', ...tallyHeads(tokens)], rows);
}

const tallyHeads = (tokens: boolean): string[] => (tokens ? ['records', 'MB', 'tokens'] : ['records', 'MB']);
const tallyCells = (t: Tally, tokens: boolean): string[] => (tokens ? [fmt(t.records), mb(t.bytes), fmt(t.tokens ?? 0)] : [fmt(t.records), mb(t.bytes)]);
const fmt = (n: number): string => n.toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e5 ? 3 : 1)} MB`;

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
