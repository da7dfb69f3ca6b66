import { createHash } from 'node:crypto';
import type { Doc } from '../../pipeline/doc.js';
import { checkSpecFor, RECIPE_VERSION, secondOpinions } from './check-specs.js';
import { isTransient, type VerifyStatus } from './classify.js';
import type { createRepoIndexer } from './repo-index.js';
import { DEFAULT_LIMITS, type SandboxLevel, type SandboxLimits } from './sandbox.js';
import { findToolchain, type ToolName } from './toolchains.js';
import type { VerifyCache } from './verify-cache-store.js';
import type { Verification } from './verify-doc.js';

/**
 * A whole document's verification, keyed by everything it depends on: its
 * text (and the crawled original, for the refinement proof), language,
 * domain and path, the fingerprint of the repository files context
 * resolution reads (paths + content hashes, from one listing query — no blob
 * is read), the versions of every tool the language may use, the sandbox
 * level, limits and options. An unchanged rebuild answers each document with
 * one indexed read: no context is resolved, no check key computed, no tool run.
 */
export interface DocKeyInput {
  doc: Doc;
  sandbox: SandboxLevel;
  limits: Partial<SandboxLimits>;
  /** Synthesis off, or its time limit. */
  synth: number | false;
  indexer: ReturnType<typeof createRepoIndexer>;
}

// 2: Verilator testbenches see its runtime headers; build-time -D values and Linux kernel code are named missing
// dependencies; assembler headers are not checked as C.
const DOC_RECIPE = 2;

export function docResultKey(k: DocKeyInput): string | null {
  const { doc } = k;
  if (doc.text === null) return null;
  const spec = checkSpecFor(doc.lang, doc.domain, doc.path);
  if (!spec) return null;
  const tools = new Set<ToolName>([spec.tool, ...secondOpinions(doc.lang, doc.domain).map((s) => s.tool)]);
  if (spec.context === 'hdl') tools.add('yosys');
  const versions = [...tools].sort().map((t) => `${t}=${findToolchain(t)?.version ?? 'missing'}`);
  const limits = { ...DEFAULT_LIMITS, ...k.limits };
  const h = createHash('sha256');
  h.update(JSON.stringify([
    'doc', DOC_RECIPE, RECIPE_VERSION, doc.repo, doc.path, doc.lang, doc.domain, doc.sha256, doc.modifiedBy,
    createHash('sha256').update(doc.text).digest('hex'),
    spec.context === 'none' ? '' : k.indexer.fingerprint(doc.repo, spec.context),
    versions, k.sandbox, limits, k.synth,
  ]));
  return h.digest('hex');
}

/** True when a verification holds only facts about the code (nothing load-dependent anywhere in it). */
export function isCacheable(v: Verification): boolean {
  const parts: Array<{ status: VerifyStatus; kind?: string }> = [v, v.standalone, ...(v.repository ? [v.repository] : []), ...(v.opinions ?? [])];
  if (v.synth && v.synth.status !== 'not-applicable') parts.push({ status: v.synth.status, ...(v.synth.kind ? { kind: v.synth.kind } : {}) });
  return !parts.some((p) => isTransient(p));
}

export function getDocResult(cache: VerifyCache, key: string): Verification | null {
  return cache.get<Verification>(key);
}

export function putDocResult(cache: VerifyCache, key: string, v: Verification): void {
  if (isCacheable(v)) cache.put(key, { kind: 'doc', tool: 'verify', version: String(DOC_RECIPE) }, v);
}
