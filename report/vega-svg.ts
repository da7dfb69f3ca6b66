import type { TopLevelSpec, Config } from 'vega-lite';
import { InputError } from '../pipeline/errors.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/**
 * Vega-Lite specs rendered to SVG strings in Node (vega's headless string
 * renderer: no DOM, no canvas, no browser). The libraries load on first use,
 * so only `report` and `export` pay for them. docs/report.md says why
 * Vega-Lite and not Observable Plot.
 */
let libs: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

function loadLibs(): Promise<{ vega: Vega; vl: VegaLite }> {
  libs ??= Promise.all([import('vega'), import('vega-lite')]).then(
    ([vega, vl]) => ({ vega, vl }),
    (err: unknown) => {
      libs = undefined;
      throw new InputError(`the report's chart libraries are missing (npm install vega vega-lite): ${(err as Error).message}`, { cause: err });
    },
  );
  return libs;
}

/** One look for every chart: readable on a laptop, the page's font, no chart border. */
export const CHART_CONFIG: Config = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 200, orient: 'bottom', columns: 4 },
  title: { fontSize: 13, anchor: 'start' },
  bar: { tooltip: false },
  background: 'transparent',
};

/**
 * Compiles and renders one spec. `idPrefix` namespaces the SVG's clip-path and
 * gradient ids: vega numbers them per process, and two inline SVGs in one page
 * with the same id would clip each other; a fresh, prefixed numbering per
 * chart also makes the page byte-identical however many reports a process draws.
 */
export async function renderChartSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { vega, vl } = await loadLibs();
  // Not in vega's typings, but exported and documented as replaceable.
  (vega as unknown as { textMetrics: { width: typeof estimateTextWidth } }).textMetrics.width = estimateTextWidth;
  const compiled = vl.compile(spec, { config: CHART_CONFIG }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: refusingLoader(vega) });
  try {
    const svg = await view.toSVG();
    return svg.replace(/\b(id="|url\(#)((?:clip|gradient_)\d+)/g, (_m, pre: string, id: string) => `${pre}${idPrefix}-${id}`);
  } finally {
    view.finalize();
  }
}

/** Charts carry their data inline; a spec that tried to load a URL or file would fail instead. */
function refusingLoader(vega: Vega): ReturnType<Vega['loader']> {
  const loader = vega.loader();
  const refuse = (uri: string): Promise<never> => Promise.reject(new Error(`report charts load nothing (asked for ${uri})`));
  loader.load = refuse;
  loader.sanitize = refuse;
  return loader;
}

/**
 * Label widths for layout and truncation. Without a canvas vega guesses 0.8 em
 * per character, which truncates paths at two thirds of the room they need;
 * measuring with a canvas would tie the page's bytes to the fonts installed.
 * This is a font-independent estimate by character class (sans-serif advance
 * widths: DejaVu Sans and the usual system UI fonts within ~10 %), so the page
 * stays byte-identical on every machine. vega documents the hook (vl-convert uses it).
 */
export function estimateTextWidth(item: { fontSize?: number; text?: unknown }, text?: unknown): number {
  const s = String(text ?? item.text ?? '');
  const size = item.fontSize ?? 11;
  let em = 0;
  for (const ch of s) em += /[ilIj.,:;'|!\/()\[\] ]/.test(ch) ? 0.32 : /[mwMW@%]/.test(ch) ? 0.86 : /[A-Z0-9#&_~=+<>-]/.test(ch) ? 0.66 : 0.56;
  return Math.ceil(em * size);
}
