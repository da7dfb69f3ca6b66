import type ParserType from 'tree-sitter';
import { parseSource } from './tree-sitter.js';

export interface HdlPort {
  name: string;
  direction: string;
  /** Packed width as written (`[W-1:0]`), '1' for a scalar. */
  width: string;
}

export interface HdlModule {
  name: string;
  parameters: Array<{ name: string; default: string | null }>;
  ports: HdlPort[];
  clocks: string[];
  resets: Array<{ name: string; activeLow: boolean }>;
  /** Instantiated submodules: module type and instance names. */
  instances: Array<{ module: string; names: string[] }>;
}

const INSTANTIATIONS = ['module_instantiation', 'checker_instantiation', 'udp_instantiation', 'interface_instantiation', 'program_instantiation'];
const DIRECTION_DECL: Record<string, string> = { input_declaration: 'input', output_declaration: 'output', inout_declaration: 'inout', ref_declaration: 'ref' };

/** Modules with ports, parameters, clocks, resets and submodules, from tree-sitter-verilog. */
export function annotateVerilog(text: string, lang: string): HdlModule[] {
  const tree = parseSource(lang, text);
  if (!tree) return [];
  return descendants(tree.rootNode, 'module_declaration').map((m) => describeModule(m));
}

function describeModule(m: ParserType.SyntaxNode): HdlModule {
  const header = m.namedChildren.find((c) => c.type === 'module_header');
  const name = header?.namedChildren.find((c) => c.type === 'simple_identifier')?.text ?? m.namedChildren.find((c) => c.type === 'simple_identifier')?.text ?? '?';
  const parameters = descendants(m, 'param_assignment').map((p) => ({
    name: p.namedChildren[0]?.text ?? '?',
    default: p.text.includes('=') ? p.text.slice(p.text.indexOf('=') + 1).trim() : null,
  }));
  const ports: HdlPort[] = [];
  let direction = 'inout';
  for (const p of descendants(m, 'ansi_port_declaration')) {
    direction = descendants(p, 'port_direction')[0]?.text ?? direction;
    const id = descendants(p, 'port_identifier')[0] ?? p.namedChildren.find((c) => c.type === 'simple_identifier');
    if (id) ports.push({ name: id.text, direction, width: widthOf(p) });
  }
  for (const [type, dir] of Object.entries(DIRECTION_DECL)) {
    for (const d of descendants(m, type)) for (const id of descendants(d, 'port_identifier')) ports.push({ name: id.text, direction: dir, width: widthOf(d) });
  }
  // tree-sitter-verilog reads `sub u (.a(a));` (no parameters) as a checker or
  // UDP instantiation — the grammar cannot tell them apart without the definitions.
  const instances = INSTANTIATIONS.flatMap((type) => descendants(m, type))
    .sort((x, y) => x.startIndex - y.startIndex)
    .map((i) => ({
      module: i.namedChildren.find((c) => c.type === 'simple_identifier' || c.type.endsWith('_identifier'))?.text ?? '?',
      names: descendants(i, 'instance_identifier').map((n) => n.text),
    }));
  const { clocks, resets } = clocksAndResets(m.text, ports);
  return { name, parameters, ports, clocks, resets, instances };
}

/** Clocks and resets from edge events (`posedge clk`), named by convention (rst/reset; _n or negedge = active low). */
function clocksAndResets(text: string, ports: HdlPort[]): Pick<HdlModule, 'clocks' | 'resets'> {
  const clocks = new Set<string>();
  const resets = new Map<string, boolean>();
  const isReset = (n: string): boolean => /(?:^|_)(?:a?rst|reset|clr|clear)(?:_?n|_b|_l)?(?:_|$)|^n?rst|reset/i.test(n);
  for (const m of text.matchAll(/\b(posedge|negedge)\s+([A-Za-z_]\w*)/g)) {
    const sig = m[2]!;
    if (isReset(sig)) resets.set(sig, m[1] === 'negedge' || /_?n$|_b$|_l$/i.test(sig));
    else clocks.add(sig);
  }
  for (const p of ports) {
    if (p.direction !== 'input') continue;
    if (/^(?:clk|clock)|(?:_clk|_clock|clk_?\d*)$/i.test(p.name)) clocks.add(p.name);
    else if (isReset(p.name) && !resets.has(p.name)) resets.set(p.name, /_?n$|_b$|_l$/i.test(p.name));
  }
  return { clocks: [...clocks], resets: [...resets].map(([name, activeLow]) => ({ name, activeLow })) };
}

function widthOf(node: ParserType.SyntaxNode): string {
  return descendants(node, 'packed_dimension')[0]?.text ?? '1';
}

function descendants(node: ParserType.SyntaxNode, type: string): ParserType.SyntaxNode[] {
  return node.descendantsOfType(type);
}
