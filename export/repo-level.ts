import { createHash } from 'node:crypto';
import { makeDocId } from '../corpus/doc-id.js';
import type { ExportRecord, RepoSampleFile } from './records.js';
import type { SplitName } from './splits.js';
import type { TransformOutput } from './transform.js';
import { reassembleFim } from './fim.js';
import type { FimTokens } from './fim-tokens.js';
import type { KeptDoc, KeptDocMeta } from '../corpus/kept-docs.js';

/**
 * Repository-level layouts. StarCoder2 (Lozhkov et al. 2024, §5.1):
 * `<repo_name>name<file_sep>path\ncode<file_sep>path\ncode`; Qwen2.5-Coder
 * (Hui et al. 2024, §3.1.2): `<|repo_name|>name\n<|file_sep|>path\ncode\n…`.
 * The difference is only the newline after the name and after each file.
 */
function layoutOf(tokens: FimTokens): { nameEnd: string; fileEnd: string } {
  return tokens.fileSep === '<|file_sep|>' ? { nameEnd: '\n', fileEnd: '\n' } : { nameEnd: '', fileEnd: '' };
}

/**
 * Files whose content or path holds the repository tokens, or whose path holds
 * a newline, would make a sample ambiguous to split: they are left out.
 */
export function excludedFromSample(tokens: FimTokens, path: string, text: string): boolean {
  const unsafe = (s: string): boolean => s.includes(tokens.repoName!) || s.includes(tokens.fileSep!);
  return unsafe(text) || unsafe(path) || path.includes('\n');
}

/** A repository name that holds the tokens cannot head a sample: the whole repository is left out. */
export function repoNameUsable(tokens: FimTokens, repo: string): boolean {
  return !repo.includes(tokens.repoName!) && !repo.includes(tokens.fileSep!);
}

/**
 * Builds one repository's samples from its files as they stream in, in
 * dependency order (export/repo-deps.ts), each file FIM-transformed on its own
 * (InCoder-32B: repository context helps planning). When the next file would
 * take a sample past `maxBytes` the sample is cut there, between files
 * (`meta.part` 0, 1, …, each with the repository header). Only the part being
 * built is in memory — its transformed text and per-file metadata; the
 * untransformed text feeds the sample hash and is let go.
 */
export function createRepoSampler(tokens: FimTokens, split: SplitName, maxBytes: number) {
  const { nameEnd, fileEnd } = layoutOf(tokens);
  let part = 0;
  let current: Part | null = null;
  const emit = (): ExportRecord | null => {
    if (!current) return null;
    const p = current;
    const first = p.first;
    current = null;
    const meta = {
      kind: 'repo' as const, source: first.source, repo: first.repo, path: null,
      lang: heaviest(p.weight.lang), domain: heaviest(p.weight.domain), license: first.license,
      sha256: p.plain.digest('hex'), fim: null, commit: first.commit, split, fim_span: null, fim_middle: null, part, files: p.files,
    };
    return { id: makeDocId(first.repo, part++ === 0 ? '' : `#part${part - 1}`), text: p.text, meta };
  };
  return {
    /** Adds a file; returns the finished previous part when this file starts a new one. */
    add(doc: KeptDoc, out: TransformOutput): ExportRecord | null {
      const size = Buffer.byteLength(out.text);
      const done = current && current.bytes > 0 && current.bytes + size > maxBytes ? emit() : null;
      const header = tokens.repoName! + doc.repo + nameEnd;
      current ??= { first: doc, text: header, plain: createHash('sha256').update(header), bytes: 0, files: [], weight: { lang: new Map(), domain: new Map() } };
      const head = tokens.fileSep! + doc.path + '\n';
      current.text += head + out.text + fileEnd;
      current.plain.update(head).update(doc.text).update(fileEnd);
      current.bytes += size;
      current.files.push({ id: doc.id, path: doc.path, lang: doc.lang, domain: doc.domain, sha256: doc.sha256, fim: out.fim, fim_span: out.span?.kind ?? null, fim_middle: out.span ? [out.span.lo, out.span.hi] : null });
      current.weight.lang.set(doc.lang, (current.weight.lang.get(doc.lang) ?? 0) + doc.text.length);
      current.weight.domain.set(doc.domain, (current.weight.domain.get(doc.domain) ?? 0) + doc.text.length);
      return done;
    },
    finish: emit,
  };
}

interface Part {
  first: KeptDocMeta;
  text: string;
  plain: ReturnType<typeof createHash>;
  bytes: number;
  files: RepoSampleFile[];
  weight: { lang: Map<string, number>; domain: Map<string, number> };
}

/**
 * Inverse of a repository sample: the original text of every file, in
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
