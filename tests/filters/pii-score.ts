import { mergeSpans } from '../../filters/pii-redact.js';
import type { PiiSpan, PiiType } from '../../filters/pii-rules.js';
import { detectPii, type PiiOptions } from '../../filters/pii-stage.js';
import type { LabelledFile } from './pii-labelled-set.js';

export interface TypeScore {
  planted: number;
  found: number;
  /** Redactions on planted look-alikes (decoys) or elsewhere in the planted text that the original did not have. */
  falsePositives: number;
  /** Detections in the untouched originals (real code): real addresses for email, false positives otherwise. */
  inOriginals: number;
  precision: number;
  recall: number;
}

export interface PiiScore {
  files: number;
  byType: Record<PiiType, TypeScore>;
  decoyHits: Record<string, number>;
  /** For review: what the detector flagged in untouched originals (type, file, line; values masked). */
  originalSamples: Array<{ type: PiiType; rule: string; file: string; masked: string }>;
}

const TYPES: PiiType[] = ['email', 'ip', 'key', 'private-key', 'password'];
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

/**
 * Precision and recall per entity type on a labelled set. A merged redaction
 * (as the stage applies it) overlapping a planted value of the same type is a
 * hit; one overlapping nothing planted is a false positive unless the same text
 * was already flagged in the original. Detections in originals are counted
 * apart: e-mail addresses there are real authors' addresses (true positives,
 * `originalEmailsAreReal`), anything else is a false positive on real code.
 */
export async function scorePii(set: LabelledFile[], o: PiiOptions, originalEmailsAreReal = true): Promise<PiiScore> {
  const byType = Object.fromEntries(TYPES.map((t) => [t, { planted: 0, found: 0, falsePositives: 0, inOriginals: 0, precision: 0, recall: 0 }])) as Record<PiiType, TypeScore>;
  const decoyHits: Record<string, number> = {};
  const originalSamples: PiiScore['originalSamples'] = [];
  for (const f of set) {
    const before = mergeSpans(await detectPii(f.original, f.lang, f.path, o));
    const seenBefore = new Set(before.map((s) => `${s.type}\0${f.original.slice(s.start, s.end)}`));
    for (const s of before) {
      byType[s.type].inOriginals++;
      if (originalSamples.length < 60) originalSamples.push({ type: s.type, rule: s.rule, file: f.path, masked: mask(f.original.slice(s.start, s.end)) });
    }
    const after = mergeSpans(await detectPii(f.text, f.lang, f.path, o));
    for (const p of f.planted) {
      byType[p.type].planted++;
      if (after.some((s: PiiSpan) => s.type === p.type && overlaps(s, p))) byType[p.type].found++;
    }
    for (const s of after) {
      if (f.planted.some((p) => p.type === s.type && overlaps(s, p))) continue;
      const decoy = f.decoys.find((d) => overlaps(s, d));
      if (decoy) decoyHits[decoy.kind] = (decoyHits[decoy.kind] ?? 0) + 1;
      if (decoy || !seenBefore.has(`${s.type}\0${f.text.slice(s.start, s.end)}`)) byType[s.type].falsePositives++;
    }
  }
  for (const t of TYPES) {
    const s = byType[t];
    const origTp = t === 'email' && originalEmailsAreReal ? s.inOriginals : 0;
    const origFp = t === 'email' && originalEmailsAreReal ? 0 : s.inOriginals;
    const tp = s.found + origTp;
    s.precision = round(tp / Math.max(1, tp + s.falsePositives + origFp));
    s.recall = round(s.found / Math.max(1, s.planted));
  }
  return { files: set.length, byType, decoyHits, originalSamples };
}

/** First two characters and the shape of the rest: enough to review, not enough to reuse. */
function mask(v: string): string {
  return v.slice(0, 2) + v.slice(2).replace(/[A-Za-z]/g, 'x').replace(/\d/g, '9').slice(0, 40);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
