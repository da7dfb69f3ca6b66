import type { Doc } from '../pipeline/doc.js';
import type { FilterResult, Stage } from '../pipeline/stage.js';
import { createWorkerStage } from '../pipeline/worker-chain.js';
import { checkIndustrialRules, DEFAULT_INDUSTRIAL_RULE_OPTIONS, type IndustrialRuleOptions } from './validate-industrial.js';

/** File-level validation thresholds (defaults from StarCoder/The Stack's code filters). */
export interface ValidateOptions extends IndustrialRuleOptions {
  /** Largest kept file in bytes; The Stack and StarCoder use ~1 MB. @default 1000000 */
  maxBytes: number;
  /** Longest kept line in characters (StarCoder). @default 1000 */
  maxLineLength: number;
  /** Highest kept mean line length (StarCoder). @default 100 */
  maxMeanLineLength: number;
  /** Lowest kept share of letters and digits (StarCoder). @default 0.25 */
  minAlnumFraction: number;
  /** Drop files whose language incorpus cannot name. @default true */
  dropUnknownLanguage: boolean;
}

export const DEFAULT_VALIDATE_OPTIONS: Readonly<ValidateOptions> = {
  maxBytes: 1_000_000,
  maxLineLength: 1000,
  maxMeanLineLength: 100,
  minAlnumFraction: 0.25,
  dropUnknownLanguage: true,
  ...DEFAULT_INDUSTRIAL_RULE_OPTIONS,
};

/**
 * The `validate` stage. Reasons are stable strings (tests and `stats` use them):
 * the crawler's status for files stored without content (binary, symlink,
 * bad-encoding, too-large, special, unreadable), then empty, too-large,
 * max-line-length, mean-line-length, alnum-fraction, then the industrial rules
 * (xml, memory-init, vendor-generated, auto-generated, gate-level-netlist,
 * huge-table, encoded-data; see validate-industrial.ts), then unknown-language.
 */
export function createValidateStage(options: ValidateOptions = DEFAULT_VALIDATE_OPTIONS): Stage {
  return createWorkerStage({ name: 'validate', options: { ...options }, step: { module: new URL('./validate.js', import.meta.url).href, fn: 'validateDoc' } });
}

/** The validation predicate (the stage's worker step), for tests and reuse. */
export function validateDoc(doc: Doc, o: ValidateOptions): FilterResult {
  if (doc.crawlStatus !== 'ok' || doc.text === null || doc.features === null) {
    return { reason: doc.crawlStatus === 'ok' ? 'unreadable' : doc.crawlStatus, details: { crawl: doc.crawlReason } };
  }
  const f = doc.features;
  if (f.blank) return { reason: 'empty' };
  if (doc.size > o.maxBytes) return { reason: 'too-large', details: { bytes: doc.size, limit: o.maxBytes } };
  if (f.maxLineLength > o.maxLineLength) return { reason: 'max-line-length', details: { value: f.maxLineLength, limit: o.maxLineLength } };
  if (f.meanLineLength > o.maxMeanLineLength) {
    return { reason: 'mean-line-length', details: { value: round(f.meanLineLength), limit: o.maxMeanLineLength } };
  }
  if (f.alnumFraction < o.minAlnumFraction) {
    return { reason: 'alnum-fraction', details: { value: round(f.alnumFraction), limit: o.minAlnumFraction } };
  }
  const industrial = checkIndustrialRules(doc, o);
  if (industrial !== true) return industrial;
  if (o.dropUnknownLanguage && doc.lang === 'unknown') return { reason: 'unknown-language' };
  return true;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
