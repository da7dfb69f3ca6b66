import { availableParallelism } from 'node:os';
import { openVerifyCache } from './verify/verify-cache-store.js';
import { readRepoFileText } from '../corpus/repo-files.js';
import type { Doc } from '../pipeline/doc.js';
import { mapAhead } from '../pipeline/map-ordered.js';
import type { Stage, StageContext } from '../pipeline/stage.js';
import { docResultKey, getDocResult, isCacheable, putDocResult } from './verify/doc-result-cache.js';
import { createProcessPool } from './verify/process-pool.js';
import { createRepoIndexer } from './verify/repo-index.js';
import type { CheckCounters } from './verify/run-check.js';
import { acceptedLevels, parseSandboxLevel, SANDBOX_LEVELS, type SandboxLevel } from './verify/sandbox.js';
import { resolveSandbox } from './verify/sandbox-session.js';
import { setToolVersionMemo } from './verify/toolchains.js';
import { verifyDoc, type Verification, type VerifyDocEnv } from './verify/verify-doc.js';
import { refinementCounters } from './verify/refinement-policy.js';

export interface VerifyOptions {
  /** Run toolchains at all (`rebuild --no-verify` turns this off). @default true */
  enabled: boolean;
  /** Tool processes at once. @default one per core (os.availableParallelism) */
  processes: number;
  /**
   * CPU-time limit per tool run (RLIMIT_CPU, whole seconds), ms. The wall
   * clock is limited to 3× this, for tools that hang without using CPU; only
   * that wall-clock limit depends on machine load, and only its timeouts are
   * retried and never cached. @default 20000
   */
  timeoutMs: number;
  /** RLIMIT_AS per tool run, MiB; nvcc needs ~1.5 GiB of address space. @default 4096 */
  memoryMiB: number;
  /** Synthesize HDL that compiles with yosys (once per top-level design) for cell counts. @default true */
  synth: boolean;
  /** CPU-time limit of one file's synthesis (wall clock 3×), ms. @default 60000 */
  synthTimeoutMs: number;
  /**
   * The weakest sandbox accepted: `bwrap` (bubblewrap only; the default),
   * `unshare` (bwrap, else a network namespace as nobody), `rlimits-only`
   * (anything, down to rlimits as nobody). Nothing weaker than this ever runs;
   * when nothing accepted can start, no tool runs (status sandbox-unavailable).
   * `rebuild --sandbox` and INCORPUS_SANDBOX set it too. @default "bwrap"
   */
  sandbox: string;
}

export const DEFAULT_VERIFY_OPTIONS: Readonly<VerifyOptions> = { enabled: true, processes: availableParallelism(), timeoutMs: 20_000, memoryMiB: 4096, synth: true, synthTimeoutMs: 60_000, sandbox: 'bwrap' };

/** Wall-clock limit as a multiple of the CPU-time limit: a hang guard that a loaded machine does not trip. */
const WALL_FACTOR = 3;

/** Documents being verified at once: enough to keep the process pool full while the cache answers most. */
const WINDOW = 16;

/**
 * Documents held behind a slow one (finished, waiting for their turn in
 * input order): a 30 s refinement proof must not leave the other slot idle
 * once the 15 documents after it are done (measured on verilog-ethernet: one
 * tool running for 31 % of the stage's wall with a plain ordered window).
 */
const LOOKAHEAD = 512;

/** …and at most this much document text held (files are ≤ 1 MB after validate; memory stays bounded). */
const LOOKAHEAD_BYTES = 64 * 1024 * 1024;

/** The weakest level a rebuild accepts: INCORPUS_SANDBOX (explicit, for a whole shell) over the config. */
function weakestAccepted(options: VerifyOptions): SandboxLevel {
  const env = process.env.INCORPUS_SANDBOX;
  const level = parseSandboxLevel(env ?? options.sandbox);
  if (!level) throw new RangeError(`verify.sandbox must be one of ${SANDBOX_LEVELS.join(', ')}, got ${JSON.stringify(env ?? options.sandbox)}${env ? ' (from INCORPUS_SANDBOX)' : ''}`);
  return level;
}

/** Picks the sandbox once per rebuild and says so on stderr when it is not bubblewrap. */
async function chooseSandbox(options: VerifyOptions, ctx: StageContext): Promise<{ level: SandboxLevel; error?: string }> {
  const weakest = weakestAccepted(options);
  const r = await resolveSandbox(acceptedLevels(weakest));
  if ('error' in r) {
    ctx.stats.count('verify', 'sandbox-unavailable');
    process.stderr.write(`incorpus: verify: no accepted sandbox can start (${r.error}); no tool runs, files get status sandbox-unavailable` +
      `${weakest === 'bwrap' ? '; install bubblewrap, or accept a weaker sandbox with rebuild --sandbox unshare' : ''}\n`);
    return { level: weakest, error: r.error };
  }
  if (r.level !== 'bwrap') process.stderr.write(`incorpus: verify: sandbox ${r.level} (accepted by --sandbox ${weakest}): weaker than bubblewrap, the tools can see host files; recorded on every result\n`);
  return { level: r.level };
}

/**
 * Recompiles every kept document with its own toolchain (annotate/verify/*),
 * standalone and in repository context, and records the outcome in
 * `doc.annotations.verification`. Drops nothing: export filters on status.
 * Counters: cache-hits, doc-cache-hits, tool-runs, tool-cpu-ms, tool-wall-ms,
 * retries, sandbox-overhead-ms (of it materialize-ms), js-context-ms (main-thread context work),
 * pool-running-<k>-ms (wall with k tools running), pool-tail-ms (wall since
 * the pool was last full), status:<s>, sandbox:<level>.
 */
export function createVerifyStage(opts: Partial<VerifyOptions> = {}): Stage {
  const options: VerifyOptions = { ...DEFAULT_VERIFY_OPTIONS, ...opts };
  if (!Number.isInteger(options.processes) || options.processes < 1) throw new RangeError(`verify.processes must be a positive integer, got ${options.processes}`);
  if (!parseSandboxLevel(options.sandbox)) throw new RangeError(`verify.sandbox must be one of ${SANDBOX_LEVELS.join(', ')}, got ${JSON.stringify(options.sandbox)}`);
  return {
    name: 'verify',
    options: { ...options },
    async *run(docs, ctx) {
      if (!options.enabled) {
        for await (const doc of docs) {
          ctx.stats.seen('verify');
          ctx.stats.kept('verify');
          yield doc;
        }
        return;
      }
      const counters: CheckCounters = { hits: 0, runs: 0, cpuMs: 0, wallMs: 0, retries: 0, overheadMs: 0 };
      const reported = new Set<string>();
      const pool = createProcessPool(options.processes);
      const indexer = createRepoIndexer(ctx.db, 32, ctx.snapshot);
      const limits = { timeoutMs: WALL_FACTOR * options.timeoutMs, memoryBytes: options.memoryMiB * 1024 * 1024, cpuSeconds: Math.ceil(options.timeoutMs / 1000) };
      let chosen: Promise<{ level: SandboxLevel; error?: string }> | null = null;
      let sandbox: { level: SandboxLevel; error?: string } | null = null;
      let docHits = 0;
      const cache = openVerifyCache(ctx.db);
      setToolVersionMemo({
        get: (key) => cache.get<string>(`tool-version:${key}`),
        put: (key, version) => cache.put(`tool-version:${key}`, { kind: 'tool-version', tool: key.split('\u0000')[0]!, version }, version),
      });
      const env: VerifyDocEnv = {
        pool,
        cache,
        limits,
        counters,
        indexRepo: indexer,
        synth: options.synth,
        synthLimits: { ...limits, timeoutMs: WALL_FACTOR * options.synthTimeoutMs, cpuSeconds: Math.ceil(options.synthTimeoutMs / 1000) },
        // The crawled blob: sha256 is the raw file's hash, refined text lives in doc.text.
        loadOriginal: (doc) => (doc.sha256 ? readRepoFileText(ctx.db, doc.sha256) : null),
        onMissingTool(tool, hint) {
          if (reported.has(tool)) return;
          reported.add(tool);
          ctx.stats.count('verify', `toolchain-missing:${tool}`);
          // Reported once per rebuild, on stderr so exports piped from stdout stay clean.
          process.stderr.write(`incorpus: verify: ${hint}; its files get status toolchain-missing\n`);
        },
      };
      const verifyOne = async (doc: Doc): Promise<Doc> => {
        sandbox = await (chosen ??= chooseSandbox(options, ctx));
        env.sandbox = sandbox.level;
        if (sandbox.error) env.sandboxError = sandbox.error;
        const key = sandbox.error ? null : docResultKey({ doc, sandbox: sandbox.level, limits, synth: options.synth ? options.synthTimeoutMs : false, indexer });
        let v = key ? getDocResult(env.cache, key) : null;
        if (v) docHits++;
        else {
          v = await verifyDoc(doc, env).catch((err: Error): Verification => {
            // An internal failure on one hostile file must not stop the rebuild.
            ctx.stats.count('verify', 'internal-error');
            const log = `internal error: ${err.message}`.slice(0, 200).replace(/\/\S*/g, '<path>');
            return { status: 'not-checked', kind: 'internal-error', tool: null, version: null, context: 'standalone', log, standalone: { status: 'not-checked', log } };
          });
          if (v && key) putDocResult(env.cache, key, v);
        }
        if (v) {
          doc.annotations.verification = v;
          ctx.stats.count('verify', `status:${v.status}`);
          // A load-dependent answer (a timeout somewhere in it): the next rebuild asks again (rebuild-inputs.ts).
          if (!isCacheable(v)) ctx.stats.count('verify', 'uncacheable');
          for (const c of v.refinement ? refinementCounters(v.refinement) : []) ctx.stats.count('verify', c);
        }
        return doc;
      };
      try {
        for await (const doc of mapAhead(docs, WINDOW, LOOKAHEAD, verifyOne, { weigh: (d) => d.text?.length ?? 0, maxWeight: LOOKAHEAD_BYTES })) {
          ctx.stats.seen('verify');
          ctx.stats.kept('verify');
          yield doc;
        }
      } finally {
        // Counted at the end: touching stats before the first document would
        // put verify ahead of analyze in the registry's stage order.
        const s = sandbox as { level: SandboxLevel; error?: string } | null;
        if (s && !s.error) ctx.stats.count('verify', `sandbox:${s.level}`);
        ctx.stats.count('verify', 'cache-hits', counters.hits);
        ctx.stats.count('verify', 'doc-cache-hits', docHits);
        ctx.stats.count('verify', 'tool-runs', counters.runs);
        ctx.stats.count('verify', 'retries', counters.retries ?? 0);
        ctx.stats.count('verify', 'tool-cpu-ms', Math.round(counters.cpuMs));
        ctx.stats.count('verify', 'tool-wall-ms', Math.round(counters.wallMs));
        ctx.stats.count('verify', 'sandbox-overhead-ms', Math.round((counters.overheadMs ?? 0) + pool.sandboxStartMs));
        ctx.stats.count('verify', 'materialize-ms', Math.round(counters.materializeMs ?? 0));
        ctx.stats.count('verify', 'js-context-ms', Math.round(counters.jsMs ?? 0));
        const occ = pool.occupancy();
        occ.ms.forEach((ms, k) => ctx.stats.count('verify', `pool-running-${k}-ms`, Math.round(ms)));
        ctx.stats.count('verify', 'pool-tail-ms', Math.round(occ.tailMs));
        if (process.env.INCORPUS_VERIFY_TRACE) for (const l of counters.longest ?? []) process.stderr.write(`verify-trace longest wall=${l.wallMs}ms cpu=${l.cpuMs}ms ${l.what}\n`);
        pool.close();
        setToolVersionMemo(null);
      }
    },
  };
}
