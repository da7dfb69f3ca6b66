import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { listRepoLicenseSources, type RepoLicenseSources } from '../corpus/license-sources.js';
import { InputError } from '../pipeline/errors.js';
import type { Doc, LicenseClass } from '../pipeline/doc.js';
import type { FilterResult, Stage, StageContext } from '../pipeline/stage.js';
import { createWorkerStage, memoKeyOf, memoScope, runItemSteps } from '../pipeline/worker-chain.js';
import type { LicenseDecision } from './license-decide.js';
import { isLicenseSourcePath, type EvidenceItem, type LicenseEvidence } from './license-evidence.js';
import { parseSpdxExpression } from './license-expression.js';
import { classifyLicense, DEFAULT_LICENSE_ALLOW } from './license-policy.js';
import { findLicenseNotice } from './license-notice.js';
import { createRepoLicenseResolver, type RepoLicenseResolver, type ScopeLicense } from './license-repo.js';

/**
 * License policy; changeable in the rebuild config (`"license": {…}`) without code.
 * The default is conservative, as The Stack's: only files whose license the
 * allowlist permits are kept; files with unnamed or no license evidence are
 * dropped (`license-unknown`, `license-none`) unless the policy says keep.
 */
export interface LicenseOptions {
  /**
   * SPDX ids we may train on. An expression passes when its terms allow it (OR: any branch, AND: all,
   * WITH: the license, since exceptions only add permissions). The same list ranks duplicates (keep rule).
   * @default DEFAULT_LICENSE_ALLOW: MIT, MIT-0, Apache-2.0, BSD-2-Clause, BSD-3-Clause, BSD-3-Clause-Clear, ISC, 0BSD, Unlicense, CC0-1.0, Zlib, BSL-1.0, X11, NCSA, PostgreSQL, MulanPSL-2.0, SHL-0.51, CERN-OHL-P-2.0, Python-2.0, LicenseRef-Public-Domain
   */
  allow: string[];
  /** Files whose license evidence we cannot name (a LICENSE file we do not recognize): 'keep' ranks them below unlicensed copies. @default 'drop' */
  unknown: 'keep' | 'drop';
  /** Files of repositories with no license evidence at all: 'keep' ranks them between permissive and other copies (bigcode). @default 'drop' */
  noLicense: 'keep' | 'drop';
  /** Lowest word-bigram Dice score that recognizes a license text (askalono uses 0.8; higher is stricter). @default 0.9 */
  matchThreshold: number;
  /** How much of each file is searched for SPDX-License-Identifier lines and license notices. @default 4000 */
  headerChars: number;
  /** Use the hosting API's license claim as (the weakest) evidence. @default true */
  useApiClaim: boolean;
}

export const DEFAULT_LICENSE_OPTIONS: Readonly<LicenseOptions> = {
  allow: [...DEFAULT_LICENSE_ALLOW],
  unknown: 'drop',
  noLicense: 'drop',
  matchThreshold: 0.9,
  headerChars: 4000,
  useApiClaim: true,
};

/**
 * The `license` stage. Reasons (stable): license-not-allowed, license-conflict,
 * license-unknown and license-none (the last two only when policy says drop).
 * Every verdict carries the decision: status, SPDX expression, where it came
 * from (file header or the nearest directory's evidence), and the evidence.
 * A kept document also carries its keep-order class under this policy
 * (`doc.licenseClass`), which every dedup step ranks copies by.
 */
export function createLicenseStage(options: LicenseOptions = DEFAULT_LICENSE_OPTIONS): Stage {
  const o = validateLicenseOptions(options);
  let resolver: RepoLicenseResolver | null = null;
  const digests = new WeakMap<ScopeLicense['decision'], string>();
  return createWorkerStage({
    name: 'license',
    options: { ...o },
    step: { module: new URL('./license-stage.js', import.meta.url).href, fn: 'licenseStep' },
    // Main thread: the repository's evidence by directory (read per repository, matched on the pool).
    async prepareDoc(doc, ctx) {
      resolver ??= createRepoLicenseResolver(licenseSourceAccess(ctx, o), o);
      const scope = await resolver.resolve(doc.repo, doc.path);
      let digest = digests.get(scope.decision);
      if (digest === undefined) digests.set(scope.decision, (digest = createHash('sha256').update(JSON.stringify(scope.decision)).digest('hex')));
      return { value: scope, key: `${scope.dir ?? '-'}:${digest}` };
    },
  });
}

/** The stage's worker step: the file's own header first, else its directory's evidence, then the policy. */
export function licenseStep(doc: Doc, o: LicenseOptions, _env: unknown, scope: ScopeLicense): FilterResult {
  const verdict = judge(doc, scope, o, new Set(o.allow));
  return verdict.reason === null ? true : { reason: verdict.reason, details: { license: verdict.details } };
}

/** Candidate files from the store; their evidence from the memo, else Dice matching on the worker pool. */
function licenseSourceAccess(ctx: StageContext, o: LicenseOptions) {
  const step = { stage: 'license', module: new URL('./license-evidence.js', import.meta.url).href, fn: 'readEvidenceStep', options: { threshold: o.matchThreshold } };
  return {
    // The snapshot's files and the claims as the rebuild pinned them.
    sources: (repo: string) => listRepoLicenseSources(ctx.db, repo, isLicenseSourcePath, { snapshot: ctx.snapshot, genId: ctx.genId }),
    async evidence(files: RepoLicenseSources['files']): Promise<LicenseEvidence[][]> {
      const scope = memoScope(ctx, 'license-evidence', o.matchThreshold);
      const keys = files.map((f) => memoKeyOf(f.path, f.sha256));
      const hits = ctx.memo?.getMany(scope, keys) ?? new Map<string, Uint8Array>();
      const out = keys.map((k) => (hits.has(k) ? (deserialize(hits.get(k)!) as LicenseEvidence[]) : null));
      const missing = out.flatMap((ev, i) => (ev ? [] : [i]));
      const items: EvidenceItem[] = missing.map((i) => ({ path: files[i]!.path, blob: ctx.loadBlob(files[i]!.sha256), evidence: null }));
      const outcomes = await runItemSteps(ctx, [step], items);
      missing.forEach((i, k) => {
        const r = outcomes[k]!;
        const ev = r.stop ? [{ source: 'license-file' as const, path: files[i]!.path, spdx: null, method: r.stop.kind === 'timeout' ? 'stage-timeout' : 'stage-error' }] : (r.value as EvidenceItem).evidence!;
        if (!r.stop) ctx.memo?.put(scope, keys[i]!, files[i]!.sha256, serialize(ev));
        out[i] = ev;
      });
      return out as LicenseEvidence[][];
    },
  };
}

/** Decides one file: its own header first (a GPL header in an MIT repository is GPL), else its directory's evidence. */
function judge(doc: Doc, scope: ScopeLicense, o: LicenseOptions, allow: Set<string>): { reason: string | null; details: Record<string, unknown> } {
  const notice = doc.text ? findLicenseNotice(doc.text.slice(0, o.headerChars)) : null;
  const decision: LicenseDecision = notice
    ? { status: 'detected', spdx: notice.spdx, evidence: [{ source: 'header', path: doc.path, spdx: notice.spdx, method: notice.rule }] }
    : scope.decision;
  const details: Record<string, unknown> = {
    status: decision.status,
    spdx: decision.spdx,
    from: notice ? 'header' : scope.dir ? `directory:${scope.dir}` : 'repository',
    ...(notice ? { header: notice.spdx, repository: scope.decision.spdx ?? scope.decision.status } : {}),
    ...(decision.candidates ? { candidates: decision.candidates } : {}),
    // Capped: a repository with dozens of vendored licenses would otherwise repeat them in every verdict.
    evidence: (notice ? decision.evidence : scope.decision.evidence).slice(0, MAX_EVIDENCE),
  };
  if (notice && scope.decision.spdx && scope.decision.spdx !== notice.spdx) details.overridesRepository = true;
  const { reason, licenseClass } = policyReason(decision, o, allow);
  details.class = licenseClass;
  if (reason === null) {
    doc.licenseClass = licenseClass;
    doc.license = decision.status === 'conflict' ? decision.candidates!.map((c) => `(${c})`).join(' AND ') : decision.spdx;
    doc.annotations.licenseDecision = details;
  }
  return { reason, details };
}

const MAX_EVIDENCE = 8;

function policyReason(d: LicenseDecision, o: LicenseOptions, allow: Set<string>): { reason: string | null; licenseClass: LicenseClass } {
  const licenseClass = classifyLicense(d, allow);
  switch (d.status) {
    case 'detected':
      return { reason: licenseClass === 'permissive' ? null : 'license-not-allowed', licenseClass };
    case 'conflict':
      // Kept only when every candidate would be allowed on its own: then the disagreement cannot matter.
      return { reason: licenseClass === 'permissive' ? null : 'license-conflict', licenseClass };
    case 'unknown':
      return { reason: o.unknown === 'drop' ? 'license-unknown' : null, licenseClass };
    case 'none':
      return { reason: o.noLicense === 'drop' ? 'license-none' : null, licenseClass };
  }
}

/** Checks the policy when the stage is built, so a typo in the allowlist is an error, not a silent drop. */
export function validateLicenseOptions(o: LicenseOptions): LicenseOptions {
  if (!Array.isArray(o.allow) || o.allow.some((id) => typeof id !== 'string' || parseSpdxExpression(id) === null)) {
    throw new InputError(`license.allow must be a list of SPDX ids, got ${JSON.stringify(o.allow)}`);
  }
  for (const key of ['unknown', 'noLicense'] as const) {
    if (o[key] !== 'keep' && o[key] !== 'drop') throw new InputError(`license.${key} must be "keep" or "drop", got ${JSON.stringify(o[key])}`);
  }
  if (!(o.matchThreshold > 0 && o.matchThreshold <= 1)) throw new InputError(`license.matchThreshold must be in (0, 1], got ${o.matchThreshold}`);
  if (!(o.headerChars >= 0)) throw new InputError(`license.headerChars must be >= 0, got ${o.headerChars}`);
  return { ...o, allow: [...o.allow] };
}
