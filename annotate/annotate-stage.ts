import type { Doc } from '../pipeline/doc.js';
import type { Stage } from '../pipeline/stage.js';
import { createWorkerStage } from '../pipeline/worker-chain.js';
import { annotateCadQuery, annotateEmbedded } from './structure-embedded.js';
import { annotateCuda, annotateTriton } from './structure-kernels.js';
import { annotateVerilog } from './structure-verilog.js';

/**
 * Structured annotations (InCoder-32B's refinement step), stored as JSON in
 * `annotations.structure`: HDL modules (tree-sitter-verilog), CUDA kernels,
 * Triton kernels and autotune configs, embedded MCU family/peripherals/IRQs,
 * CadQuery operations. Synthesis cell counts come from the verify stage.
 */
export function structureOf(doc: Pick<Doc, 'lang' | 'domain' | 'text'>): Record<string, unknown> | null {
  const text = doc.text;
  if (text === null) return null;
  if (doc.lang === 'verilog' || doc.lang === 'systemverilog') {
    const modules = annotateVerilog(text, doc.lang);
    return modules.length > 0 ? { modules } : null;
  }
  if (doc.lang === 'cuda') return { cuda: annotateCuda(text) };
  if (doc.lang === 'python') {
    const out: Record<string, unknown> = {};
    if (/\btriton\b/.test(text)) out.triton = annotateTriton(text);
    if (/\bcadquery\b|\bcq\.Workplane\b/.test(text)) out.cadquery = annotateCadQuery(text);
    return Object.keys(out).length > 0 ? out : null;
  }
  if ((doc.lang === 'c' || doc.lang === 'cpp') && doc.domain === 'embedded') return { embedded: annotateEmbedded(text) };
  if (doc.lang === 'c' || doc.lang === 'cpp') {
    const e = annotateEmbedded(text);
    return e.mcuFamily || e.interruptHandlers.length > 0 ? { embedded: e } : null;
  }
  return null;
}

export interface AnnotateOptions {
  /** Attach structured annotations. @default true */
  enabled: boolean;
}

export const DEFAULT_ANNOTATE_OPTIONS: Readonly<AnnotateOptions> = { enabled: true };

/** The annotate stage: attaches `annotations.structure`; drops nothing. */
export function createAnnotateStage(opts: Partial<AnnotateOptions> = {}): Stage {
  const options: AnnotateOptions = { ...DEFAULT_ANNOTATE_OPTIONS, ...opts };
  return createWorkerStage({ name: 'annotate', options: { ...options }, step: { module: new URL('./annotate-stage.js', import.meta.url).href, fn: 'annotateStep' } });
}

/** The stage's worker step. */
export function annotateStep(doc: Doc, options: AnnotateOptions): void {
  if (!options.enabled) return;
  try {
    const s = structureOf(doc);
    if (s) doc.annotations.structure = s;
  } catch (err) {
    // A grammar crash on hostile input is recorded with the document, which stays.
    doc.annotations.structure = { error: (err as Error).message.slice(0, 200) };
  }
}
