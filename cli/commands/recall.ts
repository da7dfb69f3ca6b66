import { withCorpus } from '../with-corpus.js';
import { parseLangFilter } from '../../crawlers/github/keep-path.js';
import { loadRecallConfig } from '../../crawlers/recall/recall-config.js';
import { planRecall, runRecall, type RecallOptions, type RecallReport } from '../../crawlers/recall/run-recall.js';
import { resolveDbPath } from '../../corpus/db.js';
import { createTerminalProgress } from '../progress.js';
import { resolveQueue, type QueueFlags } from '../queue-options.js';

export interface RecallCommandOpts extends QueueFlags {
  db?: string;
  requestInterval: number;
  config?: string;
  rounds: number;
  dryRun?: boolean;
  json?: boolean;
  apiUrl: string;
  searchInterval: number;
  retryUnit: number;
}

/** `incorpus recall`: the three-step recall; `--dry-run` prints what it would send and sends nothing. */
export async function recallCommand(opts: RecallCommandOpts): Promise<void> {
  const config = loadRecallConfig(opts.config);
  await withCorpus(opts.db, { readonly: false }, async (db) => {
    if (opts.dryRun) {
      const lines = planRecall(db, config);
      process.stdout.write(opts.json ? `${JSON.stringify({ dryRun: true, plan: lines })}\n` : `${lines.join('\n')}\n`);
      return;
    }
    const recallOpts: RecallOptions = {
      config,
      rounds: opts.rounds,
      apiUrl: opts.apiUrl,
      searchIntervalMs: opts.searchInterval,
      retryAfterBaseMs: opts.retryUnit,
      langs: parseLangFilter('known'),
      log: (m) => process.stderr.write(`incorpus: ${m}\n`),
    };
    const queue = resolveQueue(opts);
    const report = queue
      ? await (await import('../../queue/queued-recall.js')).queuedRecall(db, resolveDbPath(opts.db), recallOpts, {
        ...queue, langs: 'known', requestIntervalMs: opts.requestInterval, progress: createTerminalProgress('recall jobs'),
      })
      : await runRecall(db, recallOpts);
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  });
}

function formatReport(r: RecallReport): string {
  const lines = r.steps.map((s) => `${s.step}${s.step === 'expansion' ? ` round ${s.round}` : ''}: ${s.candidates} candidates, ${s.newlyAccepted} accepted, ${s.rejected} rejected`);
  for (const m of r.models) {
    lines.push(`classifier model #${m.id} (after ${m.afterStep}): held-out precision ${m.precision?.toFixed(3)}, recall ${m.recall?.toFixed(3)} (${m.trainSize} train / ${m.testSize} test files)`);
  }
  lines.push(`accepted: ${r.accepted.length} repositories; API requests: ${r.requests.sent} sent, ${r.requests.notModified} not modified, ${r.requests.failed} failed`);
  return `${lines.join('\n')}\n`;
}
