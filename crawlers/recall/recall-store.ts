import type { Db } from '../../corpus/db.js';
import { decompressBlob } from '../../corpus/blobs.js';

/**
 * What the three-step recall records: every candidate repository with the step
 * that found it, its scores and evidence; per-file scores; the classifier models
 * with their held-out precision and recall.
 */

const now = (): string => new Date().toISOString();

export type RecallStep = 'rule' | 'classifier' | 'expansion';
export type CandidateStatus = 'candidate' | 'accepted' | 'rejected' | 'failed';

export interface Candidate {
  repo: string;
  step: RecallStep;
  round: number;
  origin: string | null;
  status: CandidateStatus;
  ruleScore: number | null;
  classifierScore: number | null;
  evidence: Record<string, unknown> | null;
}

/** Adds a candidate unless it is known already (the first step that found it keeps the credit). */
export function addCandidate(db: Db, c: Pick<Candidate, 'repo' | 'step' | 'round' | 'origin'>): boolean {
  return db.prepare(
    "INSERT OR IGNORE INTO recall_candidates (repo, step, round, origin, status, updated_at) VALUES (?, ?, ?, ?, 'candidate', ?)",
  ).run(c.repo, c.step, c.round, c.origin, now()).changes > 0;
}

/** Records a decision on a candidate and mirrors step and score onto the repository row. */
export function decideCandidate(db: Db, repo: string, d: Pick<Candidate, 'status' | 'ruleScore' | 'classifierScore' | 'evidence'>): void {
  db.transaction(() => {
    db.prepare(
      `UPDATE recall_candidates SET status = ?, rule_score = coalesce(?, rule_score), classifier_score = coalesce(?, classifier_score),
         evidence = ?, updated_at = ? WHERE repo = ?`,
    ).run(d.status, d.ruleScore, d.classifierScore, d.evidence ? JSON.stringify(d.evidence) : null, now(), repo);
    const row = db.prepare('SELECT step, rule_score, classifier_score FROM recall_candidates WHERE repo = ?').get(repo) as
      | { step: string; rule_score: number | null; classifier_score: number | null }
      | undefined;
    if (row) db.prepare('UPDATE repos SET recall_step = ?, recall_score = ? WHERE name = ?').run(row.step, row.classifier_score ?? row.rule_score, repo);
  })();
}

export function listCandidates(db: Db, filter: { status?: CandidateStatus; step?: RecallStep } = {}): Candidate[] {
  const rows = db.prepare(
    `SELECT repo, step, round, origin, status, rule_score AS ruleScore, classifier_score AS classifierScore, evidence
     FROM recall_candidates WHERE (@status IS NULL OR status = @status) AND (@step IS NULL OR step = @step) ORDER BY repo`,
  ).all({ status: filter.status ?? null, step: filter.step ?? null }) as Array<Omit<Candidate, 'evidence'> & { evidence: string | null }>;
  return rows.map((r) => ({ ...r, evidence: r.evidence ? JSON.parse(r.evidence) : null }));
}

export function setFileScores(db: Db, step: RecallStep, scores: Array<{ fileId: number; score: number; evidence: string | null }>): void {
  const put = db.prepare(
    `INSERT INTO recall_file_scores (file_id, step, score, evidence) VALUES (?, ?, ?, ?)
     ON CONFLICT (file_id, step) DO UPDATE SET score = excluded.score, evidence = excluded.evidence`,
  );
  db.transaction(() => scores.forEach((s) => put.run(s.fileId, step, s.score, s.evidence)))();
}

export interface RepoTextFile {
  fileId: number;
  path: string;
  text: string;
}

/** The current, stored (status ok) files of a repository, decoded as UTF-8. */
export function* iterateRepoTextFiles(db: Db, repo: string): Generator<RepoTextFile> {
  const rows = db.prepare(
    `SELECT f.id AS fileId, f.path, b.codec, b.data FROM files f JOIN repos r ON r.id = f.repo_id JOIN blobs b ON b.sha256 = f.sha256
     WHERE r.name = ? AND f.current = 1 AND f.status = 'ok' ORDER BY f.path`,
  ).all(repo) as Array<{ fileId: number; path: string; codec: string; data: Buffer }>;
  for (const r of rows) yield { fileId: r.fileId, path: r.path, text: decompressBlob(r.codec, r.data).toString('utf8') };
}

export function getRepoRow(db: Db, repo: string): { forkParent: string | null; topics: string[] } | null {
  const r = db.prepare('SELECT fork_parent AS forkParent, topics FROM repos WHERE name = ?').get(repo) as
    | { forkParent: string | null; topics: string | null }
    | undefined;
  return r ? { forkParent: r.forkParent, topics: r.topics ? JSON.parse(r.topics) : [] } : null;
}

export interface StoredModel {
  id: number;
  params: Record<string, unknown>;
  weights: Buffer;
  precision: number | null;
  recall: number | null;
}

export function saveModel(db: Db, m: Omit<StoredModel, 'id'> & { trainSize: number; testSize: number }): number {
  return Number(db.prepare(
    'INSERT INTO recall_models (created_at, params, weights, precision, recall, train_size, test_size) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(now(), JSON.stringify(m.params), m.weights, m.precision, m.recall, m.trainSize, m.testSize).lastInsertRowid);
}

export function loadLatestModel(db: Db): StoredModel | null {
  const r = db.prepare('SELECT id, params, weights, precision, recall FROM recall_models ORDER BY id DESC LIMIT 1').get() as
    | { id: number; params: string; weights: Buffer; precision: number | null; recall: number | null }
    | undefined;
  return r ? { ...r, params: JSON.parse(r.params) } : null;
}
