import { join } from 'node:path';
import { analyzeItem } from '../../annotate/analyze-task.js';
import { openCorpus } from '../../corpus/db.js';
import { makeDocId } from '../../corpus/doc-id.js';
import { beginGeneration, commitGeneration } from '../../corpus/generations.js';
import { createVerdictWriter } from '../../corpus/verdicts.js';
import { crawlDir } from '../../crawlers/crawl-dir.js';
import { makeTempDir, writeTree } from '../helpers.js';

export type Trees = Record<string, Record<string, string>>;

export interface FixtureRules {
  /** Extra `verdicts.details` for a kept file (e.g. a verification status). */
  details?: (repo: string, path: string) => Record<string, unknown> | undefined;
  /** Files to record as dropped duplicates of [repo, path]. */
  duplicateOf?: (repo: string, path: string) => [string, string] | undefined;
}

/**
 * A real corpus database for export tests: the trees are crawled with the real
 * crawler and language/domain come from the real analyzer, but the generation's
 * verdicts are written directly — keep everything, except the planted
 * duplicates — so these tests do not depend on (nor wait for) every rebuild
 * stage, and can plant the verification and duplicate details other stages
 * record (`$.verification.status`, `$.duplicateOf`).
 */
export function buildExportCorpus(trees: Trees, rules: FixtureRules = {}): string {
  const dbPath = join(makeTempDir('incorpus-export-'), 'c.db');
  const db = openCorpus(dbPath);
  for (const [repo, files] of Object.entries(trees)) crawlDir(db, { path: writeTree(makeTempDir(), files), repo });
  const genId = beginGeneration(db, { fixture: true });
  const writer = createVerdictWriter(db, genId);
  const rows = db
    .prepare(`SELECT f.id, f.path, f.sha256, r.name AS repo, b.codec, b.data FROM files f JOIN repos r ON r.id = f.repo_id
              LEFT JOIN blobs b ON b.sha256 = f.sha256 WHERE f.current = 1 ORDER BY f.id`)
    .all() as Array<{ id: number; path: string; sha256: string | null; repo: string; codec: string | null; data: Buffer | null }>;
  for (const row of rows) {
    const a = analyzeItem({ path: row.path, blob: row.codec && row.data ? { codec: row.codec, data: row.data } : null });
    const dup = rules.duplicateOf?.(row.repo, row.path);
    const base = { fileId: row.id, lang: a.lang, domain: a.domain };
    if (!a.text || !row.sha256) writer.write({ ...base, verdict: 'drop', stage: 'validate', reason: 'no-text', outSha256: null });
    else if (dup) writer.write({ ...base, verdict: 'drop', stage: 'near-dedup', reason: 'near-duplicate', details: { duplicateOf: makeDocId(dup[0], dup[1]), cluster: 1 }, outSha256: null });
    else writer.write({ ...base, verdict: 'keep', stage: null, reason: 'kept', details: rules.details?.(row.repo, row.path), outSha256: row.sha256 });
  }
  writer.flush();
  commitGeneration(db, genId, {});
  db.close();
  return dbPath;
}

/** Source files of the domains that have a tree-sitter grammar, plus one that has none. */
export const SOURCES: Record<string, string> = {
  'rtl/fifo.v': 'module fifo #(parameter W = 8) (input clk, input rst, input [W-1:0] d, output reg [W-1:0] q);\n  always @(posedge clk) begin\n    if (rst) q <= 0;\n    else q <= d;\n  end\nendmodule\n',
  'rtl/top.sv': 'module top (input logic clk, input logic rst, output logic [7:0] q);\n  logic [7:0] d;\n  always_ff @(posedge clk) d <= d + 8\'d1;\n  fifo #(.W(8)) u_fifo (.clk(clk), .rst(rst), .d(d), .q(q));\nendmodule\n',
  'cuda/scale.cu': '// scale — ünïcode ✓ 🚀\n__global__ void scale(float *x, float a, int n) {\n  int i = blockIdx.x * blockDim.x + threadIdx.x;\n  if (i < n) x[i] *= a;\n}\n',
  'fw/main.c': '#include "stm32f4xx.h"\n#include "board.h"\nint main(void) {\n  RCC->AHB1ENR |= 1u << 3;\n  for (;;) { GPIOD->ODR ^= 1u << 12; }\n}\n',
  'fw/board.h': '#ifndef BOARD_H\n#define BOARD_H\nstatic inline void board_init(void) { }\n#endif\n',
  'sim/model.cpp': '#include <vector>\nstruct Model {\n  std::vector<int> regs;\n  int read(int i) const { return regs.at(i); }\n};\n',
  'cad/part.py': 'import cadquery as cq\nfrom cad import util\n\ndef plate(w, h):\n    """A plate — ✓."""\n    return cq.Workplane("XY").box(w, h, 2)\n',
  'cad/util.py': 'def mm(x):\n    return x * 1.0\n',
  'scripts/synth.tcl': 'read_verilog rtl/fifo.v\nsynth -top fifo\n',
};
