import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { runInWriteTransaction, type Db } from '../../corpus/db.js';
import { InputError } from '../../pipeline/errors.js';
import { getRepoIngestState, setRepoGithubFacts, setRepoIngestState, type RepoIngestState } from './github-store.js';
import { createRepoSnapshotWriter, upsertRepo, type CrawlCounts } from '../../corpus/raw-store.js';
import type { GitHubClient } from './client.js';
import { parseRepoSlug, toGithubFacts, toRepoInput, type ApiRepo } from './repo-metadata.js';
import { ArchiveRejectedError, readTarball, type TarballLimits } from './tarball-entries.js';

export type RepoOutcome =
  | { status: 'ingested'; repo: string; commit: string; counts: CrawlCounts; skipped: number; filtered: number }
  | { status: 'unchanged'; repo: string; commit: string }
  | { status: 'rejected' | 'failed'; repo: string; reason: string };

export interface IngestRepoContext {
  db: Db;
  client: GitHubClient;
  sourceId: number;
  crawlId: number;
  limits: TarballLimits;
  /** Milliseconds before retrying a failed archive download (doubles each time). */
  retryDelayMs: number;
}

/** The network half of a repository's ingest, done ahead while an earlier archive is being stored. */
export type PreparedRepo =
  | { kind: 'failed'; slug: string; reason: string }
  | { kind: 'empty'; slug: string; reason: string }
  | { kind: 'known'; meta: ApiRepo; sha: string; prev: RepoIngestState }
  | { kind: 'download'; meta: ApiRepo; sha: string; location: string | Readable };

/**
 * Metadata (from the search item when there is one, else a conditional GET),
 * the default branch's commit (conditional GET), and — only when that commit
 * was not ingested before — the archive's location. Writes nothing but ETags.
 */
export async function prepareGithubRepo(ctx: IngestRepoContext, slug: string, searchItem: ApiRepo | null): Promise<PreparedRepo> {
  try {
    const { owner, repo } = parseRepoSlug(slug);
    const meta = await repoMetadata(ctx.client, owner, repo, searchItem);
    const sha = await headCommit(ctx.client, owner, repo, meta.default_branch ?? 'HEAD');
    const prev = getRepoIngestState(ctx.db, meta.full_name);
    if (prev && prev.commitSha === sha && prev.status !== 'failed') return { kind: 'known', meta, sha, prev };
    return { kind: 'download', meta, sha, location: await tarballLocation(ctx, owner, repo, sha) };
  } catch (err) {
    // 409 on the commits route is GitHub's "Git Repository is empty": nothing to retry.
    const status = ((err as Error).cause as { status?: number } | undefined)?.status;
    const reason = (err as Error).message;
    return status === 409 ? { kind: 'empty', slug, reason } : { kind: 'failed', slug, reason };
  }
}

/**
 * The store half: a known commit only refreshes metadata; a new one streams the
 * tarball into the store inside one transaction, so a kill or a rejected archive
 * leaves nothing half-written.
 */
export async function finishGithubRepo(ctx: IngestRepoContext, p: PreparedRepo): Promise<RepoOutcome> {
  if (p.kind === 'failed') return failed(ctx, p.slug, p.reason);
  if (p.kind === 'empty') {
    setRepoIngestState(ctx.db, p.slug, { commitSha: null, status: 'rejected', reason: p.reason });
    return { status: 'rejected', repo: p.slug, reason: p.reason };
  }
  const name = p.meta.full_name;
  if (p.kind === 'known') {
    ctx.db.transaction(() => {
      if (p.prev.status === 'done') upsertRepo(ctx.db, ctx.sourceId, toRepoInput(p.meta, p.sha));
      setRepoGithubFacts(ctx.db, name, toGithubFacts(p.meta));
    })();
    return p.prev.status === 'done' ? { status: 'unchanged', repo: name, commit: p.sha } : { status: 'rejected', repo: name, reason: p.prev.reason ?? '' };
  }
  try {
    const body = typeof p.location === 'string' ? await download(ctx, p.location, name, p.sha) : p.location;
    return await storeArchive(ctx, p.meta, p.sha, body);
  } catch (err) {
    return failed(ctx, name, (err as Error).message);
  }
}

/** Both halves, one after the other. */
export async function ingestGithubRepo(ctx: IngestRepoContext, slug: string, searchItem: ApiRepo | null): Promise<RepoOutcome> {
  return finishGithubRepo(ctx, await prepareGithubRepo(ctx, slug, searchItem));
}

function failed(ctx: IngestRepoContext, repo: string, reason: string): RepoOutcome {
  setRepoIngestState(ctx.db, repo, { commitSha: null, status: 'failed', reason });
  return { status: 'failed', repo, reason };
}

async function repoMetadata(client: GitHubClient, owner: string, repo: string, item: ApiRepo | null): Promise<ApiRepo> {
  // Search items lack `parent`; only forks need the full object for it.
  if (item && !item.fork) return item;
  return (await client.getJson<ApiRepo>('GET /repos/{owner}/{repo}', { owner, repo })).data;
}

/** The branch head as a bare SHA (`application/vnd.github.sha`): 40 bytes, and free when unchanged (304). */
async function headCommit(client: GitHubClient, owner: string, repo: string, ref: string): Promise<string> {
  const { data } = await client.getJson<string>('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref, mediaType: { format: 'sha' } });
  const sha = String(data).trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new InputError(`GitHub returned no commit for ${owner}/${repo}@${ref}`);
  return sha;
}

/**
 * The API answers with a redirect to codeload; the archive is then fetched
 * without the Authorization header, so the token never leaves the API host.
 * (GitHub Enterprise may answer 200 with the archive itself.)
 */
async function tarballLocation(ctx: IngestRepoContext, owner: string, repo: string, sha: string): Promise<string | Readable> {
  const res = await ctx.client.get('GET /repos/{owner}/{repo}/tarball/{ref}', {
    owner, repo, ref: sha, request: { redirect: 'manual', parseSuccessResponseBody: false },
  });
  const location = res.headers.location as string | undefined;
  if (res.status === 200 && res.data) return Readable.fromWeb(res.data as WebReadableStream<Uint8Array>);
  await (res.data as WebReadableStream | null)?.cancel?.().catch(() => {});
  if (!location || !/^https?:\/\//i.test(location)) throw new InputError(`GitHub gave no archive location for ${owner}/${repo}@${sha}`);
  return location;
}

/** Fetches the archive; 5xx, 429 and network errors are retried with doubling delays. */
async function download(ctx: IngestRepoContext, location: string, name: string, sha: string): Promise<Readable> {
  let delay = ctx.retryDelayMs;
  for (let attempt = 1; ; attempt++) {
    const r = await fetch(location, { redirect: 'follow' }).catch((e: Error) => e);
    if (!(r instanceof Error) && r.ok && r.body) return Readable.fromWeb(r.body as WebReadableStream<Uint8Array>);
    const why = r instanceof Error ? r.message : `HTTP ${r.status}`;
    if (!(r instanceof Error)) await r.body?.cancel().catch(() => {});
    if (attempt >= 4 || (!(r instanceof Error) && r.status < 500 && r.status !== 429)) {
      throw new InputError(`archive download for ${name}@${sha.slice(0, 7)} failed: ${why}`);
    }
    await new Promise((ok) => setTimeout(ok, delay));
    delay *= 2;
  }
}

async function storeArchive(ctx: IngestRepoContext, meta: ApiRepo, sha: string, body: Readable): Promise<RepoOutcome> {
  const { db } = ctx;
  const name = meta.full_name;
  const skipped: Array<{ path: string; reason: string }> = [];
  let filtered = 0;
  try {
    return await runInWriteTransaction(db, async (): Promise<RepoOutcome> => {
      const repoId = upsertRepo(db, ctx.sourceId, toRepoInput(meta, sha));
      setRepoGithubFacts(db, name, toGithubFacts(meta));
      const writer = createRepoSnapshotWriter(db, ctx.crawlId, repoId, name);
      for await (const ev of readTarball(body, ctx.limits)) {
        if (ev.kind === 'file') writer.add(ev.file);
        else if (ev.kind === 'skip') skipped.push({ path: ev.path.slice(0, 300), reason: ev.reason });
        else filtered++;
      }
      const counts = writer.finish();
      setRepoIngestState(db, name, { commitSha: sha, status: 'done', reason: null, skipped });
      return { status: 'ingested', repo: name, commit: sha, counts, skipped: skipped.length, filtered };
    });
  } catch (err) {
    body.destroy();
    if (!(err instanceof ArchiveRejectedError)) throw err;
    // The metadata is still worth keeping; the files of a rejected archive are not.
    db.transaction(() => {
      upsertRepo(db, ctx.sourceId, toRepoInput(meta, null));
      setRepoGithubFacts(db, name, toGithubFacts(meta));
      setRepoIngestState(db, name, { commitSha: sha, status: 'rejected', reason: err.message, skipped });
    })();
    return { status: 'rejected', repo: name, reason: err.message };
  }
}
