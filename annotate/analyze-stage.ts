import { createWorkerStage } from '../pipeline/worker-chain.js';
import type { Stage } from '../pipeline/stage.js';

/**
 * Decodes content and labels language and domain on the worker pool (the
 * runner decodes the blob on the worker before this step). Drops nothing: it
 * annotates every document for the filters.
 */
export function createAnalyzeStage(): Stage {
  return createWorkerStage({ name: 'analyze', options: {}, step: { module: new URL('./analyze-task.js', import.meta.url).href, fn: 'analyzeStep' } });
}
