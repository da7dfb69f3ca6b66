import { makeDocId, sha256Hex } from '../corpus/doc-id.js';
import type { ExportRecord, RepoSampleFile } from './records.js';
import { orderByDependencies } from './repo-deps.js';
import type { SplitName } from './splits.js';
import type { TransformOutput } from './transform.js';
import { reassembleFim } from './fim.js';
import type { FimTokens } from './fim-tokens.js';
import type { KeptDoc } from '../corpus/kept-docs.js';

/**
 * Repository-level layouts. StarCoder2 (Lozhkov et al. 2024, §5.1):
 * `<repo_name>name<file_sep>path\ncode<file_sep>path\ncode`; Qwen2.5-Coder
 * (Hui et al. 2024, §3.1.2): `<|repo_name|>name\n<|file_sep|>path\ncode\n…`.
 * The difference is only the newline after the name and after each file.
 */
function layoutOf(tokens: FimTokens): { nameEnd: string; fileEnd: string } {
  return tokens.fileSep === '<|file_sep|>' ? { nameEnd: '\n', fileEnd: '\n' } : { nameEnd: '', fileEnd: '' };
}

/** A transformed file on its way into a repository sample. */
export interface RepoMember {
  doc: KeptDoc;
  out: TransformOutput;
}

/**
 * One repository as one sample, files in dependency order then path, each
 * file FIM-transformed on its own (InCoder-32B: repository context helps
 * planning). Files whose content or path holds the repository tokens, or
 * whose path holds a newline, would make the sample ambiguous to split and
 * are left out (returned in `excluded`). A repository whose files exceed
 * `maxBytes` is cut, between files and in the same order, into several
 * samples (`meta.part` 0, 1, …), each with the repository header.
 */
export function buildRepoSamples(members: RepoMember[], tokens: FimTokens, split: SplitName, maxBytes: number): { records: ExportRecord[]; excluded: RepoMember[] } {
  const repoName = tokens.repoName!;
  const fileSep = tokens.fileSep!;
  const unsafe = (s: string): boolean => s.includes(repoName) || s.includes(fileSep);
  const excluded = members.filter((m) => unsafe(m.doc.text) || unsafe(m.doc.path) || m.doc.path.includes('\n'));
  const out = new Set(excluded);
  const kept = members.filter((m) => !out.has(m)).sort((a, b) => (a.doc.path < b.doc.path ? -1 : a.doc.path > b.doc.path ? 1 : 0));
  if (kept.length === 0 || unsafe(kept[0]!.doc.repo)) return { records: [], excluded: members };
  const ordered = orderByDependencies(kept.map((m) => m.doc)).map((i) => kept[i]!);
  const parts: RepoMember[][] = [[]];
  let bytes = 0;
  for (const m of ordered) {
    const size = Buffer.byteLength(m.out.text);
    if (bytes > 0 && bytes + size > maxBytes) [parts[parts.length], bytes] = [[], 0];
    parts[parts.length - 1]!.push(m);
    bytes += size;
  }
  return { records: parts.map((p, k) => sampleOf(p, k, tokens, split)), excluded };
}

function sampleOf(members: RepoMember[], part: number, tokens: FimTokens, split: SplitName): ExportRecord {
  const { nameEnd, fileEnd } = layoutOf(tokens);
  const first = members[0]!.doc;
  let text = tokens.repoName! + first.repo + nameEnd;
  let plain = text;
  const files: RepoSampleFile[] = [];
  const weight = { lang: new Map<string, number>(), domain: new Map<string, number>() };
  for (const { doc, out } of members) {
    text += tokens.fileSep! + doc.path + '\n' + out.text + fileEnd;
    plain += tokens.fileSep! + doc.path + '\n' + doc.text + fileEnd;
    files.push({ id: doc.id, path: doc.path, lang: doc.lang, domain: doc.domain, sha256: doc.sha256, fim: out.fim, fim_span: out.span?.kind ?? null, fim_middle: out.span ? [out.span.lo, out.span.hi] : null });
    weight.lang.set(doc.lang, (weight.lang.get(doc.lang) ?? 0) + doc.text.length);
    weight.domain.set(doc.domain, (weight.domain.get(doc.domain) ?? 0) + doc.text.length);
  }
  const meta = {
    kind: 'repo' as const, source: first.source, repo: first.repo, path: null,
    lang: heaviest(weight.lang), domain: heaviest(weight.domain), license: first.license,
    sha256: sha256Hex(plain), fim: null, commit: first.commit, split, fim_span: null, fim_middle: null, part, files,
  };
  return { id: makeDocId(first.repo, part === 0 ? '' : `#part${part}`), text, meta };
}

/**
 * Inverse of {@link buildRepoSample}: the original text of every file, in
 * sample order, from the record text and its `meta.files`.
 */
export function splitRepoSample(text: string, files: RepoSampleFile[], tokens: FimTokens): Array<{ path: string; text: string }> {
  const { nameEnd, fileEnd } = layoutOf(tokens);
  const parts = text.split(tokens.fileSep!);
  if (!parts[0]!.startsWith(tokens.repoName!) || !parts[0]!.endsWith(nameEnd) || parts.length !== files.length + 1) {
    throw new Error(`splitRepoSample: expected ${files.length} files after the repository name`);
  }
  return files.map((f, k) => {
    const part = parts[k + 1]!;
    const nl = part.indexOf('\n');
    const path = part.slice(0, nl);
    if (path !== f.path || !part.endsWith(fileEnd)) throw new Error(`splitRepoSample: file ${k} is not ${f.path}`);
    const body = part.slice(nl + 1, part.length - fileEnd.length);
    return { path, text: reassembleFim(body, f.fim, tokens) };
  });
}

/** The key with the largest weight; ties go to the smaller key, for stable output. */
function heaviest(weights: Map<string, number>): string {
  let best = '';
  let bestWeight = -1;
  for (const [key, w] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (w > bestWeight) [best, bestWeight] = [key, w];
  }
  return best;
}
