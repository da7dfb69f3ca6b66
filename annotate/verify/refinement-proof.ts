import { YOSYS_SAFE_PATH } from './check-specs.js';
import { cRecipe, pythonRecipe, recipeSpec, verilogRecipe, type RecipeInput } from './refinement-recipes.js';
import { runCheck, type CheckEnv, type CheckInput } from './run-check.js';
import { DEFAULT_LIMITS } from './sandbox.js';
import { findToolchain, type ToolName } from './toolchains.js';

/** Whether a refinement left the compiled program as it was. */
export type ProofStatus = 'identical' | 'mismatch' | 'not-checkable';

/**
 * How it was decided: `rtlil` (yosys designs equal as RTLIL), `equiv` (yosys
 * equiv_* proved the differing modules equal), `assembly` (gcc -S output),
 * `preprocessed` (token streams after the preprocessor, where no compiler
 * output exists: headers, files yosys cannot read), `ast` (Python trees).
 */
export type ProofMethod = 'rtlil' | 'equiv' | 'assembly' | 'preprocessed' | 'ast';

/** Outcome of proving that a refinement changed no code. */
export interface RefinementProof {
  status: ProofStatus;
  method: ProofMethod | null;
  tool: string;
  version: string;
  /** One line: what differs (modules, the assembly section) or what stopped the proof. */
  detail: string;
  /** Tool diagnostics when the proof could not be run (sanitized, refined side only). */
  log: string;
}

interface Recipe {
  tool: ToolName;
  flags: readonly string[];
  script(r: RecipeInput): string;
}

const C_HEADER = /\.(?:h|hh|hpp|hxx|inc)$/;
const HDL_HEADER = /\.(?:vh|svh)$/;

/** The proof for a document, or null when none applies (languages without a compiler proof: CUDA, Tcl, …). */
function recipeFor(lang: string, domain: string, path: string): Recipe | null {
  const header = C_HEADER.test(path);
  const c = (tool: ToolName, flags: string[]): Recipe => ({ tool, flags: [...flags, header ? 'header' : 'source'], script: (r) => cRecipe(r, { flags, header }) });
  if (lang === 'c') return domain === 'embedded' ? c('arm-none-eabi-gcc', ['-xc', '-mcpu=cortex-m4', '-mthumb', '-std=gnu11']) : c('gcc', ['-xc', '-std=gnu17']);
  if (lang === 'cpp') return c('g++', ['-xc++', '-std=gnu++17']);
  if (lang === 'verilog' || lang === 'systemverilog') {
    const hdr = HDL_HEADER.test(path);
    // Without yosys the token stream still proves layout fixes (verilator runs the script then).
    const yosys = findToolchain('yosys') !== null;
    const safe = (r: RecipeInput): boolean => yosys && [r.path, ...r.deps, ...r.includeDirs].every((p) => YOSYS_SAFE_PATH.test(p));
    return { tool: yosys ? 'yosys' : 'verilator', flags: ['verilog', hdr ? 'header' : 'source'], script: (r) => verilogRecipe(r, hdr, safe(r)) };
  }
  if (lang === 'python') return { tool: 'python3', flags: ['python-ast'], script: () => pythonRecipe() };
  return null;
}

/**
 * Proves that turning `before` into `input.target.text` changed no code, in
 * the context the refined file compiled in (its dependency files and include
 * dirs). Both texts are compiled under the same relative path in two private
 * trees of one sandboxed run. Null when no proof applies to the language.
 */
export async function proveRefinement(lang: string, domain: string, before: string, input: CheckInput, env: CheckEnv): Promise<RefinementProof | null> {
  const path = input.target.path;
  const recipe = recipeFor(lang, domain, path);
  if (!recipe) return null;
  const tool = findToolchain(recipe.tool);
  const fail = (detail: string): RefinementProof => ({ status: 'not-checkable', method: null, tool: recipe.tool, version: tool?.version ?? '', detail, log: '' });
  if (!tool) return fail(`${recipe.tool} not found on PATH`);
  const deps = (input.deps ?? []).map((d) => d.path);
  const stepMs = env.limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  // Up to three tool runs in one script (two sides, then equiv): each gets the per-run limit.
  const limits = { ...env.limits, timeoutMs: 3 * stepMs + 5000, cpuSeconds: 3 * (env.limits.cpuSeconds ?? DEFAULT_LIMITS.cpuSeconds) };
  const script = recipe.script({ path, deps, includeDirs: input.includeDirs ?? [], stepSeconds: Math.max(1, Math.ceil(stepMs / 1000)) });
  const r = await runCheck(recipeSpec(recipe.tool, [...recipe.flags, `deps:${deps.join(',')}`], script, path), tool, twoTrees(before, input), { ...env, limits });
  const facts = readFacts(r.log);
  const log = r.log.split('\n').filter((l) => !l.startsWith(FACT)).join('\n');
  const method = (facts.method as ProofMethod | undefined) ?? null;
  const base = { method, tool: tool.name, version: tool.version };
  if (r.equivalent === true) return { status: 'identical', ...base, detail: '', log: '' };
  if (r.equivalent === false) return { status: 'mismatch', ...base, detail: explainMismatch(facts), log: '' };
  return { status: 'not-checkable', ...base, detail: r.status === 'timeout' || r.status === 'resource-limit' ? `proof hit the ${r.status}` : explainUncheckable(recipe.tool, facts), log };
}

/** The work-dir layout: before under a/, after under b/, context files in both. */
function twoTrees(before: string, input: CheckInput): CheckInput {
  const context = [...(input.deps ?? []), ...(input.headers ?? [])];
  const both = ['a', 'b'].flatMap((side) => context.map((f) => ({ path: `${side}/${f.path}`, text: f.text, ...(f.sha256 ? { sha256: f.sha256 } : {}) })));
  return { target: { path: `b/${input.target.path}`, text: input.target.text }, headers: [{ path: `a/${input.target.path}`, text: before }, ...both], includeDirs: input.includeDirs ?? [] };
}

const FACT = 'Warning: proof: ';

function readFacts(log: string): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const line of log.split('\n')) {
    if (!line.startsWith(FACT)) continue;
    const [key, ...rest] = line.slice(FACT.length).split(' ');
    facts[key!] = rest.join(' ');
  }
  return facts;
}

function explainMismatch(f: Record<string, string>): string {
  const oneSided = ['cc', 'ys', 'pp'].map((k) => f[k]).find((v) => v?.startsWith('fails only'));
  const step = (k: string): string => ({ cc: 'gcc', ys: 'yosys', pp: 'the preprocessor' })[k] ?? k;
  if (oneSided) return `${step(['cc', 'ys', 'pp'].find((k) => f[k] === oneSided)!)} ${oneSided}`;
  if (f.assembly === 'differs') return `assembly differs ${f.where ?? ''}`.trim();
  const mods = f.modules ? ` in ${f.modules}` : '';
  if (f.design === 'unproven') return `design differs${mods} and yosys equiv could not prove it equivalent`;
  if ((f.design === 'same' || f.design === 'equivalent') && f.text === 'differs') return `synthesized design ${f.design === 'same' ? 'identical' : 'equivalent'}, but the preprocessed text differs (strings, \`__LINE__\`, simulation-only code)`;
  if (f.text === 'differs') return f.design === 'fail' ? 'preprocessed text differs (yosys cannot read the file)' : 'preprocessed text differs';
  return f.method === 'ast' ? 'syntax trees differ (strings, docstrings or code)' : 'compiled output differs';
}

function explainUncheckable(tool: ToolName, f: Record<string, string>): string {
  if (Object.values(f).includes('timeout')) return 'a tool timed out on one version';
  if (tool === 'yosys') return 'neither yosys nor verilator -E could read both versions';
  if (tool === 'python3') return 'python could not parse both versions';
  return `${tool} could neither compile nor preprocess both versions`;
}
