import { transformDoc, type TransformConfig, type TransformInput, type TransformOutput } from './transform.js';

/** A batch of documents for one worker call: few large messages beat many small ones. */
export interface TransformTask {
  config: TransformConfig;
  docs: TransformInput[];
}

/** piscina entry point: the FIM transform of a batch, in input order. */
export default function runTransformTask(task: TransformTask): TransformOutput[] {
  return task.docs.map((doc) => transformDoc(doc, task.config));
}
