import { getRepoRow, iterateRepoTextFiles, listCandidates } from './recall-store.js';
import { parseRepoSlug, slimRepo, type ApiRepo } from '../github/repo-metadata.js';
import { dependencyRefs } from './dependency-refs.js';
import { isProse, mineTerms } from './mine-terms.js';
import { crawlNamedCandidates, crawlQueryCandidates, type RecallContext, type StepReport } from './recall-context.js';
import { judgeCandidates } from './recall-steps.js';

/** Pages of an owner's repository list read at most. */
const OWNER_PAGES = 5;

/** Where new candidates come from, before anything is fetched. */
export interface ExpansionPlan {
  /** slug → origin ("owner:x", "fork-parent-of:a/b", "dependency:a/b:.gitmodules"). */
  named: Map<string, string>;
  /** Owners whose repositories will be listed. */
  owners: string[];
  termQueries: string[];
}

const isSlug = (s: string): boolean => {
  try {
    parseRepoSlug(s);
    return true;
  } catch {
    return false;
  }
};

/** Fork parents, dependency references and mined terms of the accepted set, minus every known candidate. */
export function planExpansion(ctx: Pick<RecallContext, 'db' | 'config'>, searchedTerms: ReadonlySet<string>): ExpansionPlan {
  const cands = listCandidates(ctx.db);
  const known = new Set(cands.map((c) => c.repo.toLowerCase()));
  const accepted = cands.filter((c) => c.status === 'accepted').map((c) => c.repo);
  const named = new Map<string, string>();
  const add = (slug: string, origin: string): void => {
    if (isSlug(slug) && !known.has(slug.toLowerCase()) && !named.has(slug)) named.set(slug, origin);
  };
  const x = ctx.config.expansion;
  const prose: string[][] = [];
  for (const repo of accepted) {
    if (x.forkParents) {
      const parent = getRepoRow(ctx.db, repo)?.forkParent;
      if (parent) add(parent, `fork-parent-of:${repo}`);
    }
    const docs: string[] = [];
    for (const f of iterateRepoTextFiles(ctx.db, repo)) {
      if (x.dependencies) for (const ref of dependencyRefs(f.path, f.text)) add(ref, `dependency:${repo}:${f.path}`);
      if (isProse(f.path)) docs.push(f.text);
    }
    prose.push(docs);
  }
  const rejectedProse = cands.filter((c) => c.status === 'rejected').map((c) => [...iterateRepoTextFiles(ctx.db, c.repo)].filter((f) => isProse(f.path)).map((f) => f.text));
  const terms = x.terms > 0 ? mineTerms(prose, rejectedProse, x.terms, searchedTerms) : [];
  const owners = x.owners ? [...new Set(accepted.map((r) => r.split('/')[0]!))].sort() : [];
  return { named, owners, termQueries: terms.map((t) => `${t} in:name,description,readme`) };
}

/**
 * Step 3, one round: list the accepted owners' repositories, follow fork parents
 * and dependency files, search mined terms, ingest the new candidates and judge
 * them with the classifier.
 */
export async function runExpansionRound(ctx: RecallContext, round: number, searchedTerms: Set<string>, listedOwners: Set<string>): Promise<StepReport> {
  const plan = planExpansion(ctx, searchedTerms);
  const known = new Set(listCandidates(ctx.db).map((c) => c.repo.toLowerCase()));
  const meta = new Map<string, ApiRepo>();
  for (const owner of plan.owners) {
    if (listedOwners.has(owner)) continue;
    listedOwners.add(owner);
    // Up to OWNER_PAGES pages of 100 (Link-paginated, each page ETag'd): vendors with thousands of repositories are capped.
    for (let page = 1; page <= OWNER_PAGES; page++) {
      const { data, link } = await ctx.client.getJson<ApiRepo[]>('GET /users/{username}/repos', { username: owner, per_page: 100, type: 'owner', page });
      for (const r of data) {
        if (known.has(r.full_name.toLowerCase()) || plan.named.has(r.full_name)) continue;
        plan.named.set(r.full_name, `owner:${owner}`);
        meta.set(r.full_name, slimRepo(r));
      }
      if (!link || !/rel="next"/.test(link)) break;
    }
  }
  const limited = new Map([...plan.named].slice(0, ctx.config.expansion.maxCandidatesPerRound));
  const repos = await crawlNamedCandidates(ctx, 'expansion', round, limited, meta);
  for (const q of plan.termQueries) {
    searchedTerms.add(q.split(' ')[0]!);
    const found = await crawlQueryCandidates(ctx, 'expansion', round, q, ctx.config.expansion.perTermLimit);
    for (const r of found) if (!known.has(r.toLowerCase()) && !limited.has(r)) repos.push(r);
  }
  // Only this round's own finds are judged; a term search also returns repositories judged before.
  const mine = new Set(listCandidates(ctx.db, { step: 'expansion' }).filter((c) => c.round === round).map((c) => c.repo));
  const fresh = [...new Set(repos)].filter((r) => mine.has(r));
  const { accepted, rejected } = judgeCandidates(ctx, fresh);
  return {
    step: 'expansion', round, queries: plan.termQueries, candidates: fresh.length, newlyAccepted: accepted, rejected,
    accepted: listCandidates(ctx.db, { status: 'accepted' }).map((c) => c.repo),
  };
}
