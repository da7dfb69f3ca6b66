import { transformDoc, type TransformConfig, type TransformInput, type TransformOutput } from './transform.js';

/** One document on its way through the transform pool; the output is set in place. */
export interface TransformItem extends TransformInput {
  out?: TransformOutput;
}

/** Worker step: the FIM transform of one document (its text goes back as out.text). */
export function transformStep(item: TransformItem, config: TransformConfig): void {
  item.out = transformDoc(item, config);
  item.text = '';
}

export const TRANSFORM_TASK_MODULE = new URL('./transform-task.js', import.meta.url).href;
