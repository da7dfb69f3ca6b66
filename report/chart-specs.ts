import type { TopLevelSpec } from 'vega-lite';

/** A row of chart data: the same rows the table beside the chart shows. */
export type Datum = Record<string, string | number>;

export type ValueFormat = 'count' | 'bytes' | 'share';

/** A horizontal bar chart: categories down the side (long reason and path labels stay readable). */
export interface BarChart {
  data: Datum[];
  /** Category field and axis title. */
  y: string;
  yTitle: string;
  /** Category order top to bottom; default: by total value, largest first. */
  yOrder?: string[];
  x: string;
  xTitle: string;
  xFormat?: ValueFormat;
  /** Stack (or, with `grouped`, place side by side) by this field. */
  color?: string;
  colorTitle?: string;
  /** Fixed colour per value, in legend order. */
  colors?: { domain: string[]; range: string[] };
  /** Bars of one category side by side instead of stacked. */
  grouped?: boolean;
  /** Pixels per category row. @default 18 */
  step?: number;
}

// An explicit precision: without one vega picks a common SI prefix per axis ("0M, 0.2M, …").
const AXIS_FORMAT: Record<ValueFormat, string> = { count: '.3~s', bytes: '.3~s', share: '.0%' };
/** Width of the plot area; with the labels a chart is ~600 px, half of a laptop screen. */
const PLOT_WIDTH = 340;

/** The Vega-Lite spec of a bar chart (compiled and drawn by vega-svg.ts). */
export function barChartSpec(c: BarChart): TopLevelSpec {
  const format = c.xFormat ?? 'count';
  const encoding: Record<string, unknown> = {
    y: {
      field: c.y,
      type: 'nominal',
      title: c.yTitle,
      sort: c.yOrder ?? { op: 'sum', field: c.x, order: 'descending' },
      axis: { labelLimit: 280 },
    },
    x: {
      field: c.x,
      type: 'quantitative',
      aggregate: 'sum',
      title: c.xTitle,
      axis: { format: AXIS_FORMAT[format], tickCount: 5, grid: true },
      ...(format === 'share' ? { scale: { domain: [0, 1] } } : {}),
      ...(c.grouped || format === 'share' ? { stack: null } : {}),
    },
  };
  if (c.color) {
    encoding.color = {
      field: c.color,
      type: 'nominal',
      title: c.colorTitle ?? c.color,
      ...(c.colors ? { scale: { domain: c.colors.domain, range: c.colors.range } } : { scale: { scheme: 'tableau10' } }),
      // Vega-Lite stacks in the colour's sort order: the legend's first value ("passed", "compiles") sits at the axis.
      sort: c.colors?.domain ?? 'ascending',
    };
    if (c.grouped) encoding.yOffset = { field: c.color, type: 'nominal', sort: c.colors?.domain ?? 'ascending' };
  }
  return {
    width: PLOT_WIDTH,
    // With `grouped`, the step is each bar's (Vega-Lite steps the offset band).
    height: c.grouped ? { step: c.step ?? 18, for: 'offset' } : { step: c.step ?? 18 },
    data: { values: c.data },
    mark: { type: 'bar' },
    encoding,
  } as TopLevelSpec;
}

/**
 * Colours for status-like values: the passing value green, the rest from a
 * palette without green, in the order given. Statuses are whatever strings
 * the stages recorded, so new ones get a colour without a code change.
 */
export function statusColors(values: string[], good: readonly string[] = ['compiles', 'kept', 'detected']): { domain: string[]; range: string[] } {
  const others = ['#e15759', '#f28e2b', '#edc948', '#b07aa1', '#9c755f', '#76b7b2', '#ff9da7', '#4e79a7', '#bab0ac', '#d37295', '#a0cbe8'];
  let k = 0;
  return { domain: values, range: values.map((v) => (good.includes(v) ? '#59a14f' : others[k++ % others.length]!)) };
}
