/**
 * The page model shared by the text-layer reader and OCR: runs of text with a
 * box in PDF points (origin top-left, y growing down), grouped into lines.
 * Both sources produce runs, so listing detection and indentation rebuilding
 * are written once.
 */

/** A run of text on one baseline: a pdfjs text item, or an OCR word. */
export interface Run {
  text: string;
  x: number;
  /** Top of the run's box. */
  y: number;
  width: number;
  height: number;
  /** The run's font is fixed-pitch (font name or family, or OCR glyph-pitch evidence). */
  mono: boolean;
  /** The font it was set in (text layer only), to infer code fonts per document. */
  font?: string;
}

export interface Box {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Runs sharing a baseline, sorted left to right. */
export interface Line {
  page: number;
  runs: Run[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Text of a line with single spaces where runs do not touch (for captions and furniture). */
export function plainText(line: Line): string {
  let out = '';
  let end = -Infinity;
  for (const r of line.runs) {
    if (out && r.x - end > r.height * 0.15 && !out.endsWith(' ') && !r.text.startsWith(' ')) out += ' ';
    out += r.text;
    end = r.x + r.width;
  }
  return out.trim();
}

/**
 * Groups runs into lines: a run joins the line whose vertical middle it overlaps
 * by more than half its height. Runs are taken top to bottom, so superscripts
 * and subscripts attach to their line instead of forming their own.
 */
export function groupLines(page: number, runs: readonly Run[]): Line[] {
  const sorted = runs.filter((r) => r.text.length > 0).sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Line[] = [];
  for (const r of sorted) {
    const mid = r.y + r.height / 2;
    let line: Line | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 4; i--) {
      const l = lines[i]!;
      if (mid > l.y0 && mid < l.y1 && Math.abs(r.height - (l.y1 - l.y0)) < Math.max(r.height, l.y1 - l.y0) * 0.6) {
        line = l;
        break;
      }
    }
    if (!line) {
      lines.push({ page, runs: [r], x0: r.x, x1: r.x + r.width, y0: r.y, y1: r.y + r.height });
      continue;
    }
    line.runs.push(r);
    line.x0 = Math.min(line.x0, r.x);
    line.x1 = Math.max(line.x1, r.x + r.width);
    line.y0 = Math.min(line.y0, r.y);
    line.y1 = Math.max(line.y1, r.y + r.height);
  }
  for (const l of lines) l.runs.sort((a, b) => a.x - b.x);
  return lines.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

/**
 * Splits lines of a two-column page at the gutter: a gap wider than `minGap`
 * points that contains the page's vertical middle. Code rarely has such a gap
 * exactly there, while two-column articles (application notes) always do.
 */
export function splitColumns(lines: readonly Line[], pageWidth: number, minGap = 18): Line[] {
  const mid = pageWidth / 2;
  const out: Line[] = [];
  for (const line of lines) {
    const cut = line.runs.findIndex((r, i) => {
      const prev = line.runs[i - 1];
      if (!prev) return false;
      const end = prev.x + prev.width;
      return r.x - end > minGap && end < mid && r.x > mid;
    });
    if (cut <= 0) {
      out.push(line);
      continue;
    }
    out.push(lineOf(line.page, line.runs.slice(0, cut)), lineOf(line.page, line.runs.slice(cut)));
  }
  return out;
}

/** A line from runs already sorted left to right. */
export function lineOf(page: number, runs: Run[]): Line {
  return {
    page,
    runs,
    x0: Math.min(...runs.map((r) => r.x)),
    x1: Math.max(...runs.map((r) => r.x + r.width)),
    y0: Math.min(...runs.map((r) => r.y)),
    y1: Math.max(...runs.map((r) => r.y + r.height)),
  };
}

/** The box around some lines of one page. */
export function boxOf(lines: readonly Line[]): Box {
  return {
    page: lines[0]!.page,
    x0: round2(Math.min(...lines.map((l) => l.x0))),
    y0: round2(Math.min(...lines.map((l) => l.y0))),
    x1: round2(Math.max(...lines.map((l) => l.x1))),
    y1: round2(Math.max(...lines.map((l) => l.y1))),
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
