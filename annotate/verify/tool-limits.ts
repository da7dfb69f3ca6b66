import { re2 } from '../linear-regex.js';

const PORT_INITIALIZER = re2(/\boutput\s+(?:(?:wire|tri|signed)\s+|\[[^\]]*\]\s*)*([A-Za-z_][\w$]*)\s*=/g);

type Source = { path: string; text: string };

/**
 * Errors one front end raises on constructs other tools accept, found by
 * reading the line the error points at — the message alone also fits a real
 * mistake. Icarus Verilog rejects an ANSI output net port with an
 * initializer (`output wire o_led = 1'b0`: "o_led is not a valid l-value"),
 * which yosys and Verilator read as a continuous assignment (SERV's board
 * tops use it for unused LEDs); the same message for a wire assigned in an
 * `always` block is a genuine error and stays one. Returns the kind when
 * every error line of the log is such a limit.
 */
export function frontEndLimit(tool: string, log: string, sources: readonly Source[]): string | null {
  if (tool !== 'iverilog') return null;
  const errors = log.split('\n').filter((l) => /\berror\b/i.test(l) && !/error\(s\) during elaboration|^\s*\d+ error/.test(l));
  if (errors.length === 0) return null;
  const byPath = new Map(sources.map((s) => [s.path, s.text]));
  for (const e of errors) {
    const m = re2(/^(.+?):(\d+): error: ([A-Za-z_][\w$]*) is not a valid l-value/).exec(e);
    if (!m) return null;
    const line = byPath.get(m[1]!)?.split('\n')[Number(m[2]) - 1] ?? '';
    // The port's own declaration: `output [wire|tri] [signed] [range] NAME = …` on the line iverilog names.
    const initialized = [...line.matchAll(PORT_INITIALIZER)].map((d) => d[1]);
    if (!initialized.includes(m[3]!)) return null;
  }
  return 'port-initializer';
}
