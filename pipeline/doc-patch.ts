import type { Doc } from './doc.js';

/** A stored blob as the store hands it out: codec name and compressed bytes. */
export interface StoredBlob {
  codec: string;
  data: Uint8Array;
}

/** Doc fields a worker step may change (besides text and annotations). */
const FIELDS = ['lang', 'domain', 'domainEvidence', 'features', 'license', 'licenseClass', 'modifiedBy', 'textBefore'] as const;
type PatchedField = (typeof FIELDS)[number];

/**
 * What a chain of worker steps changed in a document: the replaced fields,
 * the annotation keys set, and — when the text changed — its sha256 and the
 * compressed bytes for the blob store (never the text: that is addressed by
 * its hash). Small and plain, so it is also what the stage memo stores.
 */
export interface DocPatch {
  fields: Partial<Pick<Doc, PatchedField>>;
  annotations: Record<string, unknown>;
  text?: EncodedText;
}

/** A refined text as the store keeps it: hash, UTF-8 length and compressed bytes (absent in a memoized patch). */
export interface EncodedText {
  sha256: string;
  size: number;
  blob?: StoredBlob;
}

/** A JSON image of what a patch compares: taken before the steps run. */
export interface DocSnapshot {
  fields: string[];
  annotations: Map<string, string>;
  text: string | null;
}

export function snapshotDoc(doc: Doc): DocSnapshot {
  return {
    fields: FIELDS.map((f) => JSON.stringify(doc[f]) ?? 'undefined'),
    annotations: new Map(Object.entries(doc.annotations).map(([k, v]) => [k, JSON.stringify(v)])),
    text: doc.text,
  };
}

/** The patch from `before` to the document as it is now (text handled by the caller). */
export function diffDoc(before: DocSnapshot, doc: Doc): DocPatch {
  const fields: DocPatch['fields'] = {};
  FIELDS.forEach((f, i) => {
    if ((JSON.stringify(doc[f]) ?? 'undefined') !== before.fields[i]) (fields as Record<string, unknown>)[f] = doc[f];
  });
  const annotations: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.annotations)) {
    if (before.annotations.get(k) !== JSON.stringify(v)) annotations[k] = v;
  }
  return { fields, annotations };
}

/** Applies a patch to the main thread's document (text: only its hash; the caller decides about the text itself). */
export function applyPatch(doc: Doc, patch: DocPatch): void {
  Object.assign(doc, patch.fields);
  Object.assign(doc.annotations, patch.annotations);
  if (patch.text) {
    doc.textSha256 = patch.text.sha256;
    doc.text = null;
  }
}

/** True when the document has text, in memory or (lazily) in the blob store. */
export function hasText(doc: Doc): boolean {
  return doc.text !== null || Boolean(doc.textSha256);
}
