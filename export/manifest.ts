import type { ExportConfig } from './export-options.js';
import type { ExportStats } from './export-stats.js';
import type { FimTokens } from './fim-tokens.js';
import type { ShardInfo } from './shards.js';
import type { SplitPlan } from './splits.js';

/** The manifest: what was written, from which corpus generation, with which configuration. */
export interface ExportManifest extends ExportStats {
  generation: number;
  corpus: { generation: number; finishedAt: string | null; rebuildConfig: Record<string, unknown> };
  splitPlan: Omit<SplitPlan, 'splitOf'> & { by: string };
  files: ShardInfo[];
  /** Every option that shapes the output (not `threads`: it changes speed, never bytes). */
  config: Omit<ExportConfig, 'threads'> & { tokens: FimTokens };
}
