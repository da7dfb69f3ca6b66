import type { EmbeddedAnnotations } from './structure-embedded.js';
import type { CudaAnnotations, TritonAnnotations } from './structure-kernels.js';
import type { HdlModule } from './structure-verilog.js';

/**
 * Renders a document's structured annotations as a header comment in its own
 * language, for exports that want them in the text ("optionally rendered as a
 * header comment", InCoder-32B's refinement). Pure; the export decides.
 */
interface Structure {
  modules?: HdlModule[];
  cuda?: CudaAnnotations;
  triton?: TritonAnnotations;
  embedded?: EmbeddedAnnotations;
  cadquery?: { operations: Record<string, number> };
}

const LINE_COMMENT: Record<string, string> = {
  verilog: '//', systemverilog: '//', c: '//', cpp: '//', cuda: '//', python: '#', tcl: '#', make: '#', asm: '#', 'llvm-ir': ';', vhdl: '--',
};

/** One-line summaries of the facts worth a reader's (or a model's) attention. */
export function summarizeAnnotations(details: Record<string, unknown>): string[] {
  const out: string[] = [];
  const s = (details.structure ?? {}) as Structure;
  for (const m of s.modules ?? []) {
    const ports = m.ports.map((p) => `${p.direction} ${p.width === '1' ? '' : `${p.width} `}${p.name}`).join(', ');
    out.push(`module ${m.name}(${ports})`);
    if (m.clocks.length || m.resets.length) out.push(`  clocks: ${m.clocks.join(', ') || '-'}; resets: ${m.resets.map((r) => `${r.name}${r.activeLow ? ' (active low)' : ''}`).join(', ') || '-'}`);
    if (m.instances.length) out.push(`  instantiates: ${[...new Set(m.instances.map((i) => i.module))].join(', ')}`);
  }
  for (const k of s.cuda?.kernels ?? []) out.push(`__global__ ${k.name}${k.launchBounds ? ` __launch_bounds__(${k.launchBounds})` : ''}`);
  for (const k of s.triton?.kernels ?? []) out.push(`@triton.jit ${k.name}${k.autotune ? ` (autotune: ${k.autotune.configs} configs)` : ''}`);
  if (s.embedded?.mcuFamily) out.push(`target: ${s.embedded.mcuFamily}; peripherals: ${s.embedded.peripherals.join(', ') || '-'}`);
  if (s.cadquery) out.push(`cadquery: ${Object.keys(s.cadquery.operations).join(', ')}`);
  const v = details.verification as { status: string; tool: string | null; context: string; synth?: { cells?: number } } | undefined;
  if (v) out.push(`verified: ${v.status}${v.tool ? ` (${v.tool}, ${v.context})` : ''}${v.synth?.cells !== undefined ? `; ${v.synth.cells} cells after yosys synth` : ''}`);
  return out;
}

/** The header comment, or '' when the language has no line comment or nothing is known. */
export function renderAnnotationHeader(lang: string, details: Record<string, unknown>): string {
  const mark = LINE_COMMENT[lang];
  const lines = summarizeAnnotations(details);
  if (!mark || lines.length === 0) return '';
  return lines.map((l) => `${mark} incorpus: ${l}`.replace(/\n/g, ' ')).join('\n') + '\n';
}
