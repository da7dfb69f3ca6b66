import type { Db } from '../../corpus/db.js';
import { beginCrawl, createRepoSnapshotWriter, finishCrawl, upsertRepo, type RepoInput, type SourceInput } from '../../corpus/raw-store.js';
import { createRandom } from '../../pipeline/seeded-random.js';

const WORDS = ['clk', 'rst', 'data', 'valid', 'ready', 'addr', 'wdata', 'rdata', 'count', 'state', 'next', 'fifo', 'ptr', 'mask', 'carry', 'sum', 'acc', 'tap', 'coef', 'phase'];

/**
 * A deterministic Verilog module of `lines` varied statements: different seeds
 * give unrelated files (Jaccard near 0), so only planted copies cluster.
 */
export function makeVerilog(seed: string, lines = 40): string {
  const rnd = createRandom(seed);
  const pick = (): string => `${WORDS[rnd.int(WORDS.length)]}_${rnd.int(1000)}`;
  const out = [`module m_${seed.replace(/[^A-Za-z0-9_]/g, '_')} (input clk, input rst, output reg [31:0] q);`];
  for (let i = 0; i < lines; i++) {
    const op = ['+', '-', '^', '&', '|'][rnd.int(5)]!;
    out.push(`  wire [${rnd.int(32)}:0] ${pick()} = ${pick()} ${op} ${pick()} ${op} ${rnd.int(65536)};`);
  }
  out.push('  always @(posedge clk) if (rst) q <= 0; else q <= q + 1;', 'endmodule', '');
  return out.join('\n');
}

/** Changes `n` statement lines of a generated module (a fork's small edit). */
export function editLines(text: string, n: number, tag = 'fork'): string {
  const lines = text.split('\n');
  for (let i = 0; i < n; i++) lines[2 + i * 3] = `  wire ${tag}_${i} = ${tag}_in_${i} ^ 1'b1;`;
  return lines.join('\n');
}

export interface FixtureRepo extends Omit<RepoInput, 'name'> {
  name: string;
  files: Record<string, string>;
  source?: SourceInput;
}

/**
 * Writes a repository straight into the raw store (the path GitHub/PDF crawlers
 * use), with its provenance. A fixture carries the API license claim "MIT"
 * unless it names its own (`licenseClaim: null` for none): the default license
 * policy drops files without license evidence.
 */
export function addRepo(db: Db, repo: FixtureRepo): void {
  const { sourceId, crawlId } = beginCrawl(db, repo.source ?? { kind: 'git', uri: `https://example.invalid/${repo.name}` });
  const { files, source: _source, ...rest } = repo;
  const info = { ...rest, licenseClaim: 'licenseClaim' in repo ? repo.licenseClaim : 'MIT' };
  const repoId = upsertRepo(db, sourceId, info);
  const writer = createRepoSnapshotWriter(db, crawlId, repoId, repo.name);
  for (const [path, text] of Object.entries(files)) {
    const content = Buffer.from(text);
    writer.add({ path, size: content.length, status: 'ok', content });
  }
  finishCrawl(db, crawlId, 'complete', writer.finish());
}
