import { shingleTexts, signTexts, type ShingleTask, type SignResult, type SignTask } from './near-dedup-task.js';

/** piscina entry point for near-dedup and cross-source: signs or shingles one batch of texts. */
export default function nearDedupBatch(task: SignTask | ShingleTask): SignResult[] | Uint32Array[] {
  return task.kind === 'sign' ? signTexts(task) : shingleTexts(task);
}
