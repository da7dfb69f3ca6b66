import { re2 } from '../linear-regex.js';
/**
 * Lexical facts about Verilog/SystemVerilog text that context resolution and
 * black-box stubs need: what a file defines, which modules it instantiates
 * (with named ports and parameters), which packages it uses. A scanner rather
 * than tree-sitter: it runs over every HDL file of every repository once per
 * rebuild (tens of thousands of files) and must tolerate files that do not
 * parse; each pattern is linear (no nested quantifiers) and the paren matcher
 * is a single pass.
 */

/** Comments replaced by spaces (newlines kept), string literals kept: `"//x"` is not a comment. */
export function stripComments(text: string): string {
  return text.replace(re2(/"(?:[^"\\\n]|\\.)*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g), (m) => (m.startsWith('"') ? m : m.replace(/[^\n]/g, ' ')));
}

export type UnitKind = 'module' | 'interface' | 'package' | 'program' | 'primitive';
const HDL_DEF = /^[ \t]*(?:extern[ \t]+)?(module|macromodule|interface|package|program|primitive)[ \t]+(?:automatic[ \t]+|static[ \t]+)?([A-Za-z_][\w$]*)/gm;

/** The design units a (comment-stripped) text defines. */
export function definedUnits(clean: string): Array<{ name: string; kind: UnitKind }> {
  return [...clean.matchAll(HDL_DEF)].map((m) => ({ name: m[2]!, kind: (m[1] === 'macromodule' ? 'module' : m[1]) as UnitKind }));
}

/** Packages named by `pkg::` or `import pkg::…`. */
export function packageRefs(clean: string): string[] {
  return [...new Set([...clean.matchAll(re2(/\b([A-Za-z_][\w$]*)\s*::/g))].map((m) => m[1]!))];
}

/** `include targets as written (literal forms only; macro forms are resolved by the preprocessor). */
export function includeTargets(clean: string): string[] {
  return [...clean.matchAll(re2(/`include\s*["<]([^">\n]+)[">]/g))].map((m) => m[1]!);
}

/** One instantiation: the module type, and what the instance names (ports and parameters). */
export interface Instantiation {
  module: string;
  /** Named parameter overrides, or the number of positional ones. */
  params: string[] | number;
  /** Named port connections, or the number of positional ones; `.*` gives []. */
  ports: string[] | number;
}

const KEYWORDS = new Set(('module macromodule endmodule interface endinterface package endpackage program endprogram primitive endprimitive input output inout ref wire reg logic bit byte int integer ' +
  'real realtime time shortint longint tri tri0 tri1 wand wor supply0 supply1 uwire var signed unsigned parameter localparam defparam specparam genvar generate endgenerate ' +
  'assign deassign force release always always_ff always_comb always_latch initial final begin end fork join join_any join_none if else case casex casez endcase default for ' +
  'foreach while repeat forever do return break continue function endfunction task endtask typedef enum struct union packed class endclass extends virtual ' +
  'import export modport clocking endclocking property endproperty sequence endsequence assert assume cover restrict expect posedge negedge edge or and not ' +
  'wait disable automatic static const string chandle event type void bind checker endchecker config endconfig unique priority inside with new this super null').split(' '));
const GATES = new Set('and nand or nor xor xnor buf not bufif0 bufif1 notif0 notif1 pullup pulldown nmos pmos cmos rnmos rpmos rcmos tran tranif0 tranif1 rtran rtranif0 rtranif1'.split(' '));

/** Index just past the paren group opening at `open` (text[open] === '('), or -1 when unbalanced. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = text.indexOf('"', i + 1);
      if (i < 0) return -1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
    else if (ch === ';' && depth <= 1 && text.startsWith('end', i + 1)) return -1;
  }
  return -1;
}

/** Top-level comma-separated items of a paren group's inside. */
function splitTop(inside: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inside) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

const named = (items: string[]): string[] | number => {
  const names = items.map((s) => /^\s*\.\s*([A-Za-z_][\w$]*)/.exec(s)?.[1]).filter((n): n is string => !!n);
  if (items.some((s) => /^\s*\.\*\s*$/.test(s))) return names;
  return names.length > 0 ? names : items.filter((s) => s.trim()).length;
};

// Head of an instantiation: type, optional #(…), instance name, optional [range], then "(".
const HEAD = /(?<![\w$.`'])([A-Za-z_][\w$]*)(?![\w$])\s*(#\s*\(|#\s*\d+\s+|(?<=\s)(?=[A-Za-z_\\]))/g;

/** Instantiations in a comment-stripped text (gate primitives and keywords left out). */
export function findInstantiations(clean: string): Instantiation[] {
  const found: Instantiation[] = [];
  HEAD.lastIndex = 0;
  for (let m = HEAD.exec(clean); m; m = HEAD.exec(clean)) {
    const type = m[1]!;
    if (KEYWORDS.has(type) || GATES.has(type)) continue;
    let pos = m.index + m[0].length;
    let params: string[] | number = [];
    if (m[2]!.startsWith('#') && m[2]!.includes('(')) {
      const end = closeParen(clean, pos - 1);
      if (end < 0) continue;
      params = named(splitTop(clean.slice(pos, end - 1)));
      pos = end;
    }
    const inst = re2(/^\s*(\\\S+|[A-Za-z_][\w$]*)\s*(?:\[[^\]\n]*\]\s*)?\(/).exec(clean.slice(pos, pos + 400));
    if (!inst || KEYWORDS.has(inst[1]!)) continue;
    const open = pos + inst[0].length - 1;
    const end = closeParen(clean, open);
    if (end < 0 || !/^\s*[;,]/.test(clean.slice(end, end + 40))) continue;
    found.push({ module: type, params, ports: named(splitTop(clean.slice(open + 1, end - 1))) });
    HEAD.lastIndex = end;
  }
  return found;
}
