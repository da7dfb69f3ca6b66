import { availableParallelism } from 'node:os';
import { openVerifyCache } from './verify/verify-cache-store.js';
import { readRepoFileText } from '../corpus/repo-files.js';
import type { Doc } from '../pipeline/doc.js';
import { mapOrdered } from '../pipeline/map-ordered.js';
import type { Stage } from '../pipeline/stage.js';
import { createProcessPool } from './verify/process-pool.js';
import { createRepoIndexer } from './verify/repo-context.js';
import type { CheckCounters } from './verify/run-check.js';
import { detectSandbox } from './verify/sandbox.js';
import { verifyDoc, type Verification, type VerifyDocEnv } from './verify/verify-doc.js';
import { refinementCounters } from './verify/refinement-policy.js';

export interface VerifyOptions {
  /** Run toolchains at all (`rebuild --no-verify` turns this off). @default true */
  enabled: boolean;
  /** Tool processes at once. @default one per core (os.availableParallelism) */
  processes: number;
  /** Wall-clock limit per tool run, ms. @default 20000 */
  timeoutMs: number;
  /** RLIMIT_AS per tool run, MiB; nvcc needs ~1.5 GiB of address space. @default 4096 */
  memoryMiB: number;
  /** Synthesize HDL that compiles with yosys for a cell count. @default true */
  synth: boolean;
}

export const DEFAULT_VERIFY_OPTIONS: Readonly<VerifyOptions> = { enabled: true, processes: availableParallelism(), timeoutMs: 20_000, memoryMiB: 4096, synth: true };

/** Documents in flight: enough to keep the process pool full while the cache answers most. */
const WINDOW = 16;

/**
 * Recompiles every kept document with its own toolchain (annotate/verify/*),
 * standalone and in repository context, and records the outcome in
 * `doc.annotations.verification`. Drops nothing: export filters on status.
 * Counters: cache-hits, tool-runs, tool-cpu-ms, tool-wall-ms, status:<s>.
 */
export function createVerifyStage(opts: Partial<VerifyOptions> = {}): Stage {
  const options: VerifyOptions = { ...DEFAULT_VERIFY_OPTIONS, ...opts };
  if (!Number.isInteger(options.processes) || options.processes < 1) throw new RangeError(`verify.processes must be a positive integer, got ${options.processes}`);
  return {
    name: 'verify',
    options: { ...options },
    async *run(docs, ctx) {
      const counters: CheckCounters = { hits: 0, runs: 0, cpuMs: 0, wallMs: 0 };
      const reported = new Set<string>();
      const env: VerifyDocEnv = {
        pool: createProcessPool(options.processes),
        cache: openVerifyCache(ctx.db),
        limits: { timeoutMs: options.timeoutMs, memoryBytes: options.memoryMiB * 1024 * 1024, cpuSeconds: Math.ceil(options.timeoutMs / 1000) + 1 },
        counters,
        indexRepo: createRepoIndexer(ctx.db),
        synth: options.synth,
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
      const verified = mapOrdered(docs, options.enabled ? WINDOW : 1, async (doc: Doc) => {
        if (!options.enabled) return doc;
        const v = await verifyDoc(doc, env).catch((err: Error): Verification => {
          // An internal failure on one hostile file must not stop the rebuild.
          ctx.stats.count('verify', 'internal-error');
          const log = `internal error: ${err.message}`.slice(0, 200).replace(/\/\S*/g, '<path>');
          return { status: 'not-checked', tool: null, version: null, context: 'standalone', log, standalone: { status: 'not-checked', log } };
        });
        if (v) {
          doc.annotations.verification = v;
          ctx.stats.count('verify', `status:${v.status}`);
          for (const c of v.refinement ? refinementCounters(v.refinement) : []) ctx.stats.count('verify', c);
        }
        return doc;
      });
      try {
        for await (const doc of verified) {
          ctx.stats.seen('verify');
          ctx.stats.kept('verify');
          yield doc;
        }
      } finally {
        // Counted at the end: touching stats before the first document would
        // put verify ahead of analyze in the registry's stage order.
        if (options.enabled) ctx.stats.count('verify', `sandbox:${detectSandbox()}`);
        ctx.stats.count('verify', 'cache-hits', counters.hits);
        ctx.stats.count('verify', 'tool-runs', counters.runs);
        ctx.stats.count('verify', 'tool-cpu-ms', counters.cpuMs);
        ctx.stats.count('verify', 'tool-wall-ms', counters.wallMs);
      }
    },
  };
}
