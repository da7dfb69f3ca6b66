import type { Db } from '../../corpus/db.js';
import { listCandidates, loadLatestModel } from './recall-store.js';
import { createGitHubClient, type GitHubClientOptions, type RequestStats } from '../github/client.js';
import type { CrawlGithubOptions } from '../github/crawl-github.js';
import { planExpansion, runExpansionRound } from './expansion-step.js';
import { deserializeModel, type NgramParams } from './ngram-classifier.js';
import type { RecallConfig } from './recall-config.js';
import type { GithubCrawler, RecallContext, StepReport } from './recall-context.js';
import { broadQueries, retrainOnDecisions, ruleQueries, runClassifierStep, runRuleStep } from './recall-steps.js';
import type { TrainedClassifier } from './train-classifier.js';

export interface RecallOptions extends GitHubClientOptions, Pick<CrawlGithubOptions, 'langs' | 'maxFileBytes' | 'maxArchiveBytes' | 'maxEntries'> {
  config: RecallConfig;
  /** Expansion rounds at most. @default 3 */
  rounds?: number;
  /** How the steps' repositories are crawled. @default in-process crawlGithub */
  crawlGithub?: GithubCrawler;
}

export interface ModelReport {
  id: number;
  afterStep: string;
  precision: number | null;
  recall: number | null;
  trainSize: number;
  testSize: number;
}

const modelReport = (t: TrainedClassifier, afterStep: string): ModelReport => ({
  id: t.modelId, afterStep, precision: t.precision, recall: t.recall, trainSize: t.trainSize, testSize: t.testSize,
});

export interface RecallReport {
  steps: StepReport[];
  /** The latest classifier (step 2's, or the last retrain's). */
  model: ModelReport | null;
  /** Every classifier trained in this run: step 2, then one per expansion round that accepted something. */
  models: ModelReport[];
  accepted: string[];
  requests: RequestStats;
}

/**
 * `incorpus recall`: rule recall, classifier recall, then expansion rounds until
 * a round's yield (accepted / candidates) falls below the threshold. Every crawl
 * inside is resumable, so a killed recall run again redoes only what is missing.
 */
export async function runRecall(db: Db, opts: RecallOptions): Promise<RecallReport> {
  const client = await createGitHubClient(db, opts);
  const log = opts.log ?? (() => {});
  const ctx: RecallContext = {
    db, client, config: opts.config, model: null, log, ...(opts.crawlGithub ? { crawlGithub: opts.crawlGithub } : {}),
    crawl: {
      ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}), ...(opts.langs ? { langs: opts.langs } : {}),
      ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}), ...(opts.maxArchiveBytes ? { maxArchiveBytes: opts.maxArchiveBytes } : {}),
      ...(opts.retryAfterBaseMs !== undefined ? { retryAfterBaseMs: opts.retryAfterBaseMs } : {}),
    },
  };
  const steps: StepReport[] = [];
  const note = (s: StepReport): void => {
    steps.push(s);
    log(`recall ${s.step}${s.step === 'expansion' ? ` round ${s.round}` : ''}: ${s.candidates} candidates, ${s.newlyAccepted} accepted, ${s.rejected} rejected; ${s.accepted.length} accepted in all`);
  };
  note(await runRuleStep(ctx));
  const { report, trained } = await runClassifierStep(ctx);
  note(report);
  const models: ModelReport[] = trained ? [modelReport(trained, 'classifier')] : [];
  const searchedTerms = new Set<string>();
  const listedOwners = new Set<string>();
  for (let round = 1; round <= (opts.rounds ?? 3); round++) {
    const r = await runExpansionRound(ctx, round, searchedTerms, listedOwners);
    note(r);
    const yieldRate = r.candidates === 0 ? 0 : r.newlyAccepted / r.candidates;
    if (r.newlyAccepted > 0 && opts.config.classifier.retrainEachRound && ctx.model) {
      const again = retrainOnDecisions(ctx);
      if (again) models.push(modelReport(again, `expansion round ${round}`));
    }
    if (r.candidates === 0 || yieldRate < opts.config.expansion.minYield) break;
  }
  return {
    steps,
    model: models.at(-1) ?? null,
    models,
    accepted: listCandidates(db, { status: 'accepted' }).map((c) => c.repo),
    requests: { ...client.stats },
  };
}

/** `recall --dry-run`: the queries and expansions the next run would send, from what the database knows now; no network. */
export function planRecall(db: Db, config: RecallConfig): string[] {
  const ctx = { db, config };
  const lines = [
    ...ruleQueries(ctx).map((q) => `rule        search  ${q}`),
    ...config.rule.codeQueries.map((q) => `rule        code    ${q}`),
    ...broadQueries(ctx).map((q) => `classifier  search  ${q}`),
  ];
  const plan = planExpansion(ctx, new Set());
  for (const owner of plan.owners) lines.push(`expansion   list    GET /users/${owner}/repos`);
  for (const [slug, origin] of plan.named) lines.push(`expansion   repo    ${slug}  (${origin})`);
  for (const q of plan.termQueries) lines.push(`expansion   search  ${q}`);
  if (plan.owners.length === 0 && plan.named.size === 0) lines.push('expansion   (follows owners, fork parents, dependency files and mined terms of the repositories accepted above)');
  const model = loadLatestModel(db);
  if (model) lines.push(`classifier  model   #${model.id} held-out precision ${fmt(model.precision)} recall ${fmt(model.recall)}`);
  return lines;
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

/** The latest stored classifier, for scoring outside a recall run. */
export function loadRecallModel(db: Db) {
  const m = loadLatestModel(db);
  return m ? deserializeModel(m.params as unknown as NgramParams & { bias: number }, m.weights) : null;
}
