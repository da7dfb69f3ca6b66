import { CONTENT_WINDOW, type Lang } from './detect-language.js';

/** The industrial areas the corpus is balanced across; `general` is everything else. */
export type Domain = 'chip-design' | 'gpu-kernel' | 'embedded' | 'compiler-opt' | 'cad-3d' | 'general';

/**
 * Every domain, in the priority order used to settle files that match several:
 *
 *   gpu-kernel > cad-3d > chip-design > embedded > compiler-opt > general
 *
 * Why this order: the more specialised signal wins. A CUDA file full of inline PTX or
 * `#pragma unroll` is still a kernel; a Python file that imports both cocotb and
 * triton is rare and Triton is the rarer, more valuable tag. Embedded outranks
 * compiler-opt because firmware is routinely written in assembly or with inline
 * `__asm__` (Cortex-M startup files, `__disable_irq()` wrappers) and is then about
 * the board, not about code generation; so a linker script, a `.syntax unified`
 * startup `.s`, or an STM32 C file with inline asm are all embedded.
 */
export const DOMAINS: readonly Domain[] = [
  'gpu-kernel', 'cad-3d', 'chip-design', 'embedded', 'compiler-opt', 'general',
];

/** A domain and the marker that decided it, e.g. "@triton.jit" or "lang:verilog". */
export interface DomainGuess { domain: Domain; evidence: string | null }

/** A content pattern and the languages in which it is syntax (unset: any language). */
type Marker = readonly [pattern: RegExp, langs?: ReadonlySet<Lang>];

interface DomainRule {
  domain: Domain;
  /** Languages that are this domain whatever their content. */
  langs: ReadonlySet<Lang>;
  markers: readonly Marker[];
}

// Markers are gated by language so that a word in another language's comment cannot
// decide (a Verilog comment saying "like __shared__ memory" is not a GPU kernel).
// Prose (markdown, text) is included: a README about an STM32 board is embedded.
const DOCS: readonly Lang[] = ['markdown', 'text'];
const NATIVE = new Set<Lang>(['c', 'cpp', 'cuda', 'asm', ...DOCS]);
const PYTHON = new Set<Lang>(['python', ...DOCS]);
const TCL = new Set<Lang>(['tcl']);
const SCALA = new Set<Lang>(['scala', ...DOCS]);
const BUILD = new Set<Lang>(['make', 'cmake', 'shell', ...DOCS]);
const INTRINSICS = new Set<Lang>([...NATIVE, 'rust']);
const CPP_API = new Set<Lang>(['c', 'cpp', ...DOCS]);

// Vivado/Quartus/Yosys flow commands at the start of a Tcl command line; `synth`
// needs a trailing blank so that procs such as `synthesize_all` do not count.
const EDA_TCL =
  /^[ \t]*(?:yosys[ \t]+)?(read_verilog|read_vhdl|synth_design|create_clock|set_property|add_files|synth(?=[ \t]))/m;

// Evidence is a marker's first capture group if it has one, else all it matched,
// so reports name the real thing found ("NVIC_EnableIRQ", "#include <immintrin.h>").
const RULES: readonly DomainRule[] = [
  {
    domain: 'gpu-kernel',
    langs: new Set<Lang>(['cuda']),
    markers: [
      [/\b__(?:global|shared)__\b/, NATIVE],
      [/#[ \t]*include[ \t]*[<"]cuda[\w./]*[>"]?/, NATIVE],
      [/@triton\.jit\b/, PYTHON],
      [/^[ \t]*(?:import|from)[ \t]+triton\b/m, PYTHON],
      [/\btriton\.language\b/, PYTHON],
    ],
  },
  {
    domain: 'cad-3d',
    langs: new Set<Lang>(),
    markers: [
      [/^[ \t]*(?:import|from)[ \t]+cadquery\b/m, PYTHON],
      [/\bcq\.Workplane\b/, PYTHON],
    ],
  },
  {
    domain: 'chip-design',
    langs: new Set<Lang>(['verilog', 'systemverilog', 'vhdl', 'sdc', 'yosys-script']),
    markers: [
      [EDA_TCL, TCL],
      [/^[ \t]*(?:import|from)[ \t]+(?:cocotb|amaranth|n?migen)\b/m, PYTHON],
      [/^[ \t]*import[ \t]+chisel3\b/m, SCALA],
    ],
  },
  {
    domain: 'embedded',
    langs: new Set<Lang>(['linker-script']),
    markers: [
      [/#[ \t]*include[ \t]*[<"](?:stm32\w*|core_cm\w+|avr\/io|esp_err|FreeRTOS)\.h[>"]?/, NATIVE],
      [/\b(?:NVIC_\w+|SysTick\w*|__disable_irq|RCC->|GPIO[A-K]->)/, NATIVE],
      // Cortex-M startup code: Thumb directives, the reset vector and its section.
      [/^[ \t]*(?:\.syntax[ \t]+unified|\.thumb)\b/m, NATIVE],
      [/\bReset_Handler\b|\.isr_vector\b/, NATIVE],
      [/\barm-none-eabi\b/, BUILD],
    ],
  },
  {
    domain: 'compiler-opt',
    langs: new Set<Lang>(['asm', 'llvm-ir']),
    markers: [
      [/#[ \t]*include[ \t]*[<"](?:\w*intrin|arm_neon|arm_sve)\.h[>"]?/, NATIVE],
      [/\b_mm(?:256|512)?_\w+(?=[ \t]*\()/, INTRINSICS],
      [/\b__asm__\b|\b(?:__)?asm[ \t]+(?:__)?volatile\b/, NATIVE],
      [/\b(?:llvm|mlir)::/, CPP_API],
      [/#[ \t]*pragma[ \t]+(?:omp|GCC[ \t]+unroll|clang[ \t]+loop)\b/, NATIVE],
    ],
  },
];

/**
 * The industrial domain of a file, from its language and the first
 * {@link CONTENT_WINDOW} characters of its content; see {@link DOMAINS} for how
 * ties are broken. `path` is deliberately not used: vendored and generated trees
 * put files under misleading directory names, while content does not lie.
 */
export function detectDomain(lang: Lang, path: string, text: string): DomainGuess {
  const head = text.length > CONTENT_WINDOW ? text.slice(0, CONTENT_WINDOW) : text;
  for (const rule of RULES) {
    if (rule.langs.has(lang)) return { domain: rule.domain, evidence: `lang:${lang}` };
    for (const [pattern, langs] of rule.markers) {
      if (langs !== undefined && !langs.has(lang)) continue;
      const hit = pattern.exec(head);
      if (hit !== null) return { domain: rule.domain, evidence: (hit[1] ?? hit[0]).trim() };
    }
  }
  return { domain: 'general', evidence: null };
}
