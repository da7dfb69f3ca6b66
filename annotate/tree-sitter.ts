import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';
import { re2 } from './linear-regex.js';
import { InputError } from '../pipeline/errors.js';

/** Languages incorpus has a tree-sitter grammar for. CUDA uses the C++ grammar after masking. */
export type GrammarName = 'c' | 'cpp' | 'python' | 'verilog';

const require = createRequire(import.meta.url);
const parsers = new Map<GrammarName, ParserType>();

/** The grammar that parses a corpus language, or null when there is none. */
export function grammarFor(lang: string): GrammarName | null {
  switch (lang) {
    case 'c':
      return 'c';
    case 'cpp':
    case 'cuda':
      return 'cpp';
    case 'python':
      return 'python';
    case 'verilog':
    case 'systemverilog':
      return 'verilog';
    default:
      return null;
  }
}

/**
 * A parser for a grammar, created once per thread. The native modules load
 * lazily (so commands that never parse start fast). Verilog comes from our own
 * Node-API build of tree-sitter-verilog's parser (annotate/native/, built by
 * `npm install` through binding.gyp): the package's nan-era binding registers
 * only in the first thread that loads it, so worker threads could not parse HDL.
 */
export function getParser(grammar: GrammarName): ParserType {
  let parser = parsers.get(grammar);
  if (parser) return parser;
  const Parser = require('tree-sitter') as typeof ParserType;
  parser = new Parser();
  const mod = { c: 'tree-sitter-c', cpp: 'tree-sitter-cpp', python: 'tree-sitter-python' }[grammar as 'c'];
  parser.setLanguage((grammar === 'verilog' ? loadVerilog() : require(mod)) as never);
  parsers.set(grammar, parser);
  return parser;
}

/** Where binding.gyp puts the Verilog grammar addon, from dist/annotate/ or annotate/. */
const VERILOG_ADDON = ['../../build/Release/tree_sitter_verilog_napi.node', '../build/Release/tree_sitter_verilog_napi.node'];

function loadVerilog(): unknown {
  for (const rel of VERILOG_ADDON) {
    try {
      return require(rel);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  throw new InputError('the Verilog grammar addon is not built: run `npm install` (or `npx node-gyp rebuild`) in the incorpus folder');
}

/**
 * Parses text in a corpus language, or returns null when no grammar fits.
 * CUDA is masked first (same length, so byte offsets still match the source).
 * Input is fed in chunks: the node binding rejects single strings over 32 KiB.
 */
export function parseSource(lang: string, text: string): ParserType.Tree | null {
  const grammar = grammarFor(lang);
  if (!grammar) return null;
  const hit = recentTrees.find((r) => r.lang === lang && r.text === text);
  if (hit) return hit.tree;
  const source = lang === 'cuda' ? maskCuda(text) : text;
  const tree = getParser(grammar).parse((index: number) => source.slice(index, index + 16384));
  recentTrees.unshift({ lang, text, tree });
  if (recentTrees.length > RECENT_TREES) recentTrees.pop();
  return tree;
}

/**
 * Parses newText incrementally from oldTree, which must be the tree of a text
 * that `edits` (Tree.edit's, in order; for CUDA, of the masked texts, which
 * have the same lengths) turn into newText. The old tree is edited in place,
 * so it no longer describes its text and leaves the cache. The new tree is
 * not cached: for an ambiguous grammar an incremental parse may resolve an
 * ambiguity differently from a fresh one (tree-sitter-verilog does, on
 * yosys' coolrunner2/cells_counter_map.v), and every other reader of a tree
 * must see what a fresh parse gives.
 */
export function reparseEdited(lang: string, oldTree: ParserType.Tree, newText: string, edits: ParserType.Edit[]): ParserType.Tree {
  const grammar = grammarFor(lang);
  if (!grammar) throw new Error(`no grammar parses ${lang}`);
  const cached = recentTrees.findIndex((r) => r.tree === oldTree);
  if (cached >= 0) recentTrees.splice(cached, 1);
  for (const e of edits) oldTree.edit(e);
  const source = lang === 'cuda' ? maskCuda(newText) : newText;
  return getParser(grammar).parse((index: number) => source.slice(index, index + 16384), oldTree);
}

/**
 * The last trees this thread parsed, by language and text. A document's stages
 * run back to back on one thread: annotate asks for the tree of the text
 * normalize's AST check just parsed (the refined text, or the original when the
 * refinement was rejected), and gets it without a third parse. Nothing edits a
 * tree (no Tree.edit anywhere), so a shared one reads the same as a fresh one.
 */
const RECENT_TREES = 2;
const recentTrees: Array<{ lang: string; text: string; tree: ParserType.Tree }> = [];

/**
 * Blanks the CUDA extensions the C++ grammar reports as errors — execution-space
 * and memory qualifiers, `__launch_bounds__(…)`, and `<<<…>>>` launch
 * configurations — with spaces of the same length (newlines kept).
 */
export function maskCuda(text: string): string {
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  return text
    .replace(re2(/<<<[\s\S]*?>>>/g), blank)
    .replace(/__launch_bounds__\s*\([^()]*\)/g, blank)
    .replace(/\b__(?:global|device|host|shared|constant|managed|forceinline|noinline|restrict|grid_constant)__\b/g, blank);
}

/** Share of the tree covered by ERROR or MISSING nodes, 0 for a clean parse. */
export function errorRatio(tree: ParserType.Tree, textLength: number): number {
  if (!tree.rootNode.hasError) return 0;
  let bad = 0;
  const walk = (node: ParserType.SyntaxNode): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      bad += Math.max(1, node.endIndex - node.startIndex);
      return;
    }
    if (node.hasError) for (const child of node.children) walk(child);
  };
  walk(tree.rootNode);
  return Math.min(1, bad / Math.max(1, textLength));
}
