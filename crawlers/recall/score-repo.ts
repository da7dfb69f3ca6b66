import { detectDomain } from '../../annotate/detect-domain.js';
import { CODE_LANGS, detectLanguage } from '../../annotate/detect-language.js';
import type { Db } from '../../corpus/db.js';
import { iterateRepoTextFiles, setFileScores, type RepoTextFile } from './recall-store.js';
import { featurize, predict, type NgramModel } from './ngram-classifier.js';

/** A repository's code files with the rebuild's own language and domain detectors applied. */
export interface LabelledFile extends RepoTextFile {
  lang: string;
  domain: string;
  /** The marker that decided the domain (`@triton.jit`, `lang:verilog`), or null. */
  evidence: string | null;
}

/** Code files only: READMEs and data files say little about what the code is. */
export function labelRepoFiles(db: Db, repo: string): LabelledFile[] {
  const out: LabelledFile[] = [];
  for (const f of iterateRepoTextFiles(db, repo)) {
    const lang = detectLanguage(f.path, f.text);
    if (!CODE_LANGS.has(lang)) continue;
    const d = detectDomain(lang, f.path, f.text);
    out.push({ ...f, lang, domain: d.domain, evidence: d.evidence });
  }
  return out;
}

export interface RuleScore {
  score: number;
  codeFiles: number;
  industrialFiles: number;
  /** The most frequent markers, e.g. { "lang:verilog": 12, "__global__": 3 }. */
  markers: Record<string, number>;
}

/** Rule recall's score: the share of code files carrying an industrial marker (per-file scores recorded). */
export function ruleScoreRepo(db: Db, files: LabelledFile[]): RuleScore {
  const markers: Record<string, number> = {};
  let industrial = 0;
  for (const f of files) {
    if (f.domain === 'general') continue;
    industrial++;
    const key = f.evidence ?? f.domain;
    markers[key] = (markers[key] ?? 0) + 1;
  }
  setFileScores(db, 'rule', files.map((f) => ({ fileId: f.fileId, score: f.domain === 'general' ? 0 : 1, evidence: f.evidence })));
  const top = Object.fromEntries(Object.entries(markers).sort((a, b) => b[1] - a[1]).slice(0, 5));
  return { score: files.length ? industrial / files.length : 0, codeFiles: files.length, industrialFiles: industrial, markers: top };
}

/** Classifier recall's score: the mean probability over code files (per-file scores recorded). */
export function classifierScoreRepo(db: Db, model: NgramModel, files: LabelledFile[]): number {
  if (files.length === 0) return 0;
  const scores = files.map((f) => ({ fileId: f.fileId, score: predict(model, featurize(f.text, model.params)), evidence: null }));
  setFileScores(db, 'classifier', scores);
  return scores.reduce((s, x) => s + x.score, 0) / scores.length;
}
