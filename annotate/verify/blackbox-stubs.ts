import { findInstantiations, stripComments, type Instantiation } from './hdl-scan.js';

/** Why a module was replaced by a black box (recorded with `compiles-with-blackboxes`). */
export type BlackboxReason = 'generated-ip' | 'generated-file' | 'vendor-primitive' | 'absent-submodule' | 'absent-file' | 'unsafe-file' | 'absent-module';

export interface Blackbox {
  module: string;
  why: BlackboxReason;
  /** What the reason points at (the IP name, the absent file, the submodule path). */
  source?: string;
}

/** The path black-box stubs are materialized at inside the work dir. */
export const STUB_FILE = 'incorpus-blackboxes.v';

/**
 * Black-box stubs for modules nobody provides, derived from how the design
 * instantiates them: named ports (or `p0…pn` for positional ones) and named
 * parameters (`P0…` for positional), every port a 1-bit input — an input
 * accepts any expression, so the check tests the rest of the file, and the
 * width mismatch is a warning. `(* blackbox *)` keeps yosys from synthesizing
 * into them (`.*` connections name no ports: the stub has none). Null when
 * the texts never instantiate the module.
 */
export function stubFor(module: string, uses: readonly Instantiation[]): string | null {
  const own = uses.filter((u) => u.module === module);
  if (own.length === 0) return null;
  const ports = new Set<string>();
  const params = new Set<string>();
  for (const u of own) {
    if (typeof u.ports === 'number') for (let i = 0; i < u.ports; i++) ports.add(`p${i}`);
    else for (const p of u.ports) ports.add(p);
    if (typeof u.params === 'number') for (let i = 0; i < u.params; i++) params.add(`P${i}`);
    else for (const p of u.params) params.add(p);
  }
  const list = [...ports];
  const decls = [...params].map((p) => `  parameter ${p} = 0;`).concat(list.map((p) => `  input ${p};`));
  return `(* blackbox *)\nmodule ${module}${list.length > 0 ? `(${list.join(', ')})` : ''};\n${decls.join('\n')}\nendmodule\n`;
}

/** Stubs for every named module, from the instantiations in the given texts. */
export function stubsFor(modules: readonly string[], texts: readonly string[]): { text: string; stubbed: string[] } {
  const uses = texts.flatMap((t) => findInstantiations(stripComments(t)));
  const parts: string[] = [];
  const stubbed: string[] = [];
  for (const m of modules) {
    if (!/^[A-Za-z_][\w$]*$/.test(m)) continue;
    const s = stubFor(m, uses);
    if (s) {
      parts.push(s);
      stubbed.push(m);
    }
  }
  return { text: parts.join('\n'), stubbed };
}
