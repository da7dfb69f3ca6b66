import { getRepoIngestState } from '../github/github-store.js';
import { decideCandidate, listCandidates, type Candidate } from './recall-store.js';
import { crawlQueryCandidates, type RecallContext, type StepReport } from './recall-context.js';
import { classifierScoreRepo, labelRepoFiles, ruleScoreRepo, type LabelledFile } from './score-repo.js';
import { trainRecallClassifier, type TrainedClassifier } from './train-classifier.js';

const withQualifiers = (q: string, qualifiers: string): string => `${q} ${qualifiers}`.trim();

export function ruleQueries(ctx: Pick<RecallContext, 'config'>): string[] {
  return ctx.config.rule.queries.map((r) => withQualifiers(r.q, ctx.config.rule.qualifiers));
}

export function broadQueries(ctx: Pick<RecallContext, 'config'>): string[] {
  return ctx.config.classifier.broadQueries.map((q) => withQualifiers(q, ctx.config.rule.qualifiers));
}

function acceptedNames(ctx: RecallContext): string[] {
  return listCandidates(ctx.db, { status: 'accepted' }).map((c) => c.repo);
}

/** A candidate whose archive never made it into the store cannot be judged. */
function ingestFailed(ctx: RecallContext, repo: string): string | null {
  const s = getRepoIngestState(ctx.db, repo);
  return !s ? 'not ingested' : s.status === 'done' ? null : `${s.status}: ${s.reason ?? ''}`;
}

/** Step 1: per-domain searches; a repository is accepted when enough of its code carries industrial markers. */
export async function runRuleStep(ctx: RecallContext): Promise<StepReport> {
  const queries = ruleQueries(ctx);
  for (const q of queries) await crawlQueryCandidates(ctx, 'rule', 0, q, ctx.config.rule.perQueryLimit);
  for (const q of ctx.config.rule.codeQueries) await crawlQueryCandidates(ctx, 'rule', 0, q, ctx.config.rule.perQueryLimit, 'code');
  const cands = listCandidates(ctx.db, { step: 'rule' });
  let accepted = 0;
  for (const c of cands) {
    const failed = ingestFailed(ctx, c.repo);
    if (failed) {
      decideCandidate(ctx.db, c.repo, { status: 'failed', ruleScore: null, classifierScore: null, evidence: { failed } });
      continue;
    }
    const rs = ruleScoreRepo(ctx.db, labelRepoFiles(ctx.db, c.repo));
    const ok = rs.score >= ctx.config.rule.minScore;
    if (ok) accepted++;
    decideCandidate(ctx.db, c.repo, { status: ok ? 'accepted' : 'rejected', ruleScore: rs.score, classifierScore: null, evidence: { rule: rs } });
  }
  return { step: 'rule', round: 0, queries: [...queries, ...ctx.config.rule.codeQueries], candidates: cands.length, newlyAccepted: accepted, rejected: cands.length - accepted, accepted: acceptedNames(ctx) };
}

/**
 * Step 2: broad searches, a classifier trained on what the rules accepted, then
 * every candidate scored: broad ones are accepted above `acceptScore`, and
 * rule-accepted ones below `vetoBelow` are rejected as rule false positives.
 */
export async function runClassifierStep(ctx: RecallContext): Promise<{ report: StepReport; trained: TrainedClassifier | null }> {
  const queries = broadQueries(ctx);
  for (const q of queries) await crawlQueryCandidates(ctx, 'classifier', 0, q, ctx.config.classifier.perQueryLimit);
  const all = listCandidates(ctx.db).filter((c) => !ingestFailed(ctx, c.repo));
  const files = new Map(all.map((c) => [c.repo, labelRepoFiles(ctx.db, c.repo)] as const));
  const isRuleAccepted = (c: Candidate) => c.step === 'rule' && c.status === 'accepted';
  const trained = trainRecallClassifier(
    ctx.db, all.filter(isRuleAccepted).map((c) => files.get(c.repo)!), all.filter((c) => !isRuleAccepted(c)).map((c) => files.get(c.repo)!), ctx.config.classifier,
  );
  ctx.model = trained?.model ?? null;
  if (!trained) ctx.log('classifier step skipped: too few labelled files to train on (rule recall found too little)');
  let accepted = 0;
  let rejected = 0;
  for (const c of all) {
    if (!trained || (c.step !== 'classifier' && !isRuleAccepted(c))) continue;
    const score = classifierScoreRepo(ctx.db, trained.model, files.get(c.repo)!);
    const ev = { ...(c.evidence ?? {}), classifier: { score, modelId: trained.modelId } };
    if (c.step === 'classifier') {
      const ok = score >= ctx.config.classifier.acceptScore;
      ok ? accepted++ : rejected++;
      decideCandidate(ctx.db, c.repo, { status: ok ? 'accepted' : 'rejected', ruleScore: null, classifierScore: score, evidence: ev });
    } else {
      const veto = score < ctx.config.classifier.vetoBelow;
      if (veto) rejected++;
      decideCandidate(ctx.db, c.repo, { status: veto ? 'rejected' : 'accepted', ruleScore: null, classifierScore: score, evidence: { ...ev, veto } });
    }
  }
  const report: StepReport = { step: 'classifier', round: 0, queries, candidates: all.filter((c) => c.step === 'classifier').length, newlyAccepted: accepted, rejected, accepted: acceptedNames(ctx) };
  return { report, trained };
}

/** Scores freshly ingested expansion candidates with the classifier (rules when there is no model). */
export function judgeCandidates(ctx: RecallContext, repos: string[]): { accepted: number; rejected: number } {
  let accepted = 0;
  let rejected = 0;
  for (const repo of repos) {
    const failed = ingestFailed(ctx, repo);
    if (failed) {
      decideCandidate(ctx.db, repo, { status: 'failed', ruleScore: null, classifierScore: null, evidence: { failed } });
      continue;
    }
    const files: LabelledFile[] = labelRepoFiles(ctx.db, repo);
    const rs = ruleScoreRepo(ctx.db, files);
    const cs = ctx.model ? classifierScoreRepo(ctx.db, ctx.model, files) : null;
    const ok = cs !== null ? cs >= ctx.config.classifier.acceptScore : rs.score >= ctx.config.rule.minScore;
    ok ? accepted++ : rejected++;
    decideCandidate(ctx.db, repo, { status: ok ? 'accepted' : 'rejected', ruleScore: rs.score, classifierScore: cs, evidence: { rule: rs, classifier: cs } });
  }
  return { accepted, rejected };
}

/**
 * DeepSeekMath-style iteration: after an expansion round, retrain on everything
 * accepted so far (positives) against everything rejected (negatives), so the
 * next round is judged by a model that has seen the new repositories.
 */
export function retrainOnDecisions(ctx: RecallContext): TrainedClassifier | null {
  const cands = listCandidates(ctx.db).filter((c) => c.status === 'accepted' || c.status === 'rejected');
  const files = (c: Candidate) => labelRepoFiles(ctx.db, c.repo);
  const trained = trainRecallClassifier(
    ctx.db, cands.filter((c) => c.status === 'accepted').map(files), cands.filter((c) => c.status === 'rejected').map(files), ctx.config.classifier,
  );
  if (trained) ctx.model = trained.model;
  return trained;
}
