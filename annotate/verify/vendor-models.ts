import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findInstantiations, stripComments, type Instantiation } from './hdl-scan.js';
import { re2 } from '../linear-regex.js';

/**
 * FPGA vendor primitive models as a context source: yosys ships simulation
 * and black-box models of Xilinx, Lattice iCE40/ECP5/MachXO2/Nexus, Gowin,
 * Intel and other families (DESIGN/ANCHORS: /usr/share/yosys/xilinx/cells_sim.v
 * + cells_xtra.v, ice40/, ecp5/, gowin/, intel/, intel_alm/ …). A check gets only the
 * module definitions it needs (parsing all of xilinx/cells_xtra.v costs more
 * than most checks), as a library file the tools elaborate only where used.
 */
export const VENDOR_ROOT = '/usr/share/yosys';

// Technology-mapping rules and internal cells define the same names as rewrite rules, not models.
const NOT_MODELS = /_map|map_|techmap|\/abc9|cmp2|mul2|gate2|pmux|adff|dff2|simcells|simlib|smtmap|_model|_unmap|quartus_rename|tff_extract|cells_latch|brams_init|parse_init/;
/** Families tried first when several define a name (the most common boards first). */
const PREFERENCE = ['xilinx', 'ice40', 'ecp5', 'intel', 'intel_alm', 'gowin', 'nexus', 'machxo2', 'efinix', 'anlogic', 'gatemate', 'quicklogic', 'sf2', 'achronix', 'greenpak4', 'coolrunner2'];
// Model files written for yosys's own front end: defaults it accepts that Icarus does not.
const FAMILY_PREAMBLE: Record<string, string> = { ice40: '`define NO_ICE40_DEFAULT_ASSIGNMENTS\n' };

interface ModelDef {
  family: string;
  file: string;
  text: string;
  /** Every identifier of its header and port declarations (a superset of its port names). */
  ports: Set<string>;
}

export interface VendorLibrary {
  /** Families and the files their models come from, for the result. */
  families: string[];
  /** One library file per family (path relative to the work dir, text). */
  libs: Array<{ path: string; text: string }>;
  /** Names found, and names no vendor library defines. */
  found: string[];
  unknown: string[];
  /** Names some library defines, but no model has the ports the design connects (another family's cell, or an older model). */
  mismatched: string[];
}

let index: Map<string, ModelDef[]> | null = null;
let preambles: Map<string, string> = new Map();

function listModelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listModelFiles(p));
    else if (/\.(?:v|vh)$/.test(e.name) && !NOT_MODELS.test(p) && statSync(p).size < 8_000_000) out.push(p);
  }
  return out;
}

/** `module X (...);` black boxes (yosys-only syntax) rewritten with the ports their body declares. */
function portList(body: string): string {
  const names: string[] = [];
  for (const m of body.matchAll(re2(/^\s*(?:input|output|inout)\b(?:\s+(?:wire|reg|signed|tri|\[[^\]]*\]))*\s+([^;]+);/gm))) {
    for (const n of m[1]!.split(',')) {
      const name = re2(/([A-Za-z_][\w$]*)\s*(?:\[[^\]]*\]\s*)?(?:=.*)?$/).exec(n.trim())?.[1];
      if (name) names.push(name);
    }
  }
  return names.join(', ');
}

/** Directive lines with every `ifdef opened before the first module closed (some files wrap their modules in one). */
function balanced(lines: string[]): string {
  let depth = 0;
  for (const l of lines) {
    if (/^\s*`ifn?def\b/.test(l)) depth++;
    else if (/^\s*`endif/.test(l)) depth = Math.max(0, depth - 1);
  }
  return [...lines, ...Array<string>(depth).fill('`endif')].join('\n');
}

/** Identifiers of a module's header and its input/output/inout declarations. */
function headerIdentifiers(text: string): Set<string> {
  const header = text.slice(0, Math.max(0, text.indexOf(';')));
  const decls = [...text.matchAll(re2(/^\s*(?:input|output|inout)\b[^;]*;/gm))].map((m) => m[0]);
  return new Set([header, ...decls].join(' ').match(/[A-Za-z_][\w$]*/g) ?? []);
}

/** Every model in yosys's share dir, by module name, built once per process. */
function loadIndex(): Map<string, ModelDef[]> {
  if (index) return index;
  index = new Map();
  if (!existsSync(VENDOR_ROOT)) return index;
  const defs: Array<[string, ModelDef]> = [];
  for (const file of listModelFiles(VENDOR_ROOT)) {
    const rel = relative(VENDOR_ROOT, file);
    const family = rel.split('/')[0]!;
    const text = readFileSync(file, 'utf8');
    const firstModule = text.search(re2(/^\s*module\s/m));
    // `define lines before the first module (macros the models use), plus the family's own fixes.
    const pre = (FAMILY_PREAMBLE[family] ?? '') + (firstModule > 0 ? balanced(text.slice(0, firstModule).split('\n').filter((l) => /^\s*`(?:define|ifdef|ifndef|elsif|else|endif|timescale)/.test(l))) : '');
    if (pre.trim() && !preambles.has(family)) preambles.set(family, `${pre}\n`);
    for (const m of text.matchAll(re2(/^\s*module\s+([A-Za-z_][\w$]*)([\s\S]*?)^\s*endmodule\b/gm))) {
      const [whole, name, rest] = m as unknown as [string, string, string];
      const fixed = /^\s*\(\s*\.\.\.\s*\)/.test(rest) ? whole.replace(/\(\s*\.\.\.\s*\)/, `(${portList(rest)})`) : whole;
      defs.push([name, { family, file: rel, text: fixed.trim(), ports: headerIdentifiers(fixed) }]);
    }
  }
  // Simulation models before black boxes of the same family.
  const rank = (d: ModelDef): number => (/_bb|blackbox|xtra/.test(d.file) ? 1 : 0);
  for (const [name, d] of defs) (index.get(name) ?? index.set(name, []).get(name)!).push(d);
  for (const list of index.values()) list.sort((a, b) => PREFERENCE.indexOf(a.family) - PREFERENCE.indexOf(b.family) || rank(a) - rank(b));
  return index;
}

/** True when some vendor library models this module. */
export const hasVendorModel = (name: string): boolean => loadIndex().has(name);

/**
 * The models for a set of missing modules: the family covering most of them
 * first (a Xilinx design's BUFG is Xilinx's), plus the primitives those
 * models instantiate in turn. With the design's instantiations, only a model
 * having every port they connect by name stands in: `VCC vcc (.Y(n))` is a
 * Microchip PolarFire cell, and Intel's `VCC (output V)` would turn it into
 * an interface mismatch the design does not have.
 */
export function vendorLibraryFor(missing: readonly string[], uses: readonly Instantiation[] = []): VendorLibrary {
  const idx = loadIndex();
  const connected = new Map<string, Set<string>>();
  for (const u of uses) if (Array.isArray(u.ports)) for (const p of u.ports) (connected.get(u.module) ?? connected.set(u.module, new Set()).get(u.module)!).add(p);
  const fits = (name: string, d: ModelDef): boolean => [...(connected.get(name) ?? [])].every((p) => d.ports.has(p));
  const defsOf = (name: string): ModelDef[] => (idx.get(name) ?? []).filter((d) => fits(name, d));
  const found = missing.filter((m) => defsOf(m).length > 0);
  const unknown = missing.filter((m) => !idx.has(m));
  const mismatched = missing.filter((m) => idx.has(m) && defsOf(m).length === 0);
  const cover = new Map<string, number>();
  for (const m of found) for (const d of new Set(defsOf(m).map((x) => x.family))) cover.set(d, (cover.get(d) ?? 0) + 1);
  const familyOrder = [...cover.keys()].sort((a, b) => cover.get(b)! - cover.get(a)! || PREFERENCE.indexOf(a) - PREFERENCE.indexOf(b));
  const picked = new Map<string, Map<string, string>>();
  const queue = [...found];
  const done = new Set<string>();
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (done.has(name)) continue;
    done.add(name);
    const defs = defsOf(name);
    if (defs.length === 0) continue;
    const family = familyOrder.find((f) => defs.some((d) => d.family === f)) ?? defs[0]!.family;
    const def = defs.find((d) => d.family === family)!;
    (picked.get(family) ?? picked.set(family, new Map()).get(family)!).set(name, def.text);
    for (const inst of findInstantiations(stripComments(def.text))) if (!done.has(inst.module) && idx.has(inst.module)) queue.push(inst.module);
  }
  const families = [...picked.keys()];
  const libs = families.map((f) => ({ path: `incorpus-vendor/${f}.v`, text: `${preambles.get(f) ?? ''}${[...picked.get(f)!.values()].join('\n\n')}\n` }));
  return { families, libs, found, unknown, mismatched };
}
