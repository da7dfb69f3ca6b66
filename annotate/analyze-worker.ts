import { analyzeItem, type AnalyzeItem, type AnalyzeResult } from './analyze-task.js';

/** piscina entry point: analyzes one batch of files on a worker thread. */
export default function analyzeBatch(items: AnalyzeItem[]): AnalyzeResult[] {
  return items.map(analyzeItem);
}
