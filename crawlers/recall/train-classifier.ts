import type { Db } from '../../corpus/db.js';
import { saveModel } from './recall-store.js';
import { createRandom } from '../../pipeline/seeded-random.js';
import { featurize, predict, serializeWeights, trainNgramModel, type Example, type NgramModel, type NgramParams } from './ngram-classifier.js';
import type { LabelledFile } from './score-repo.js';

export interface TrainedClassifier {
  model: NgramModel;
  modelId: number;
  /** On the held-out share, at a 0.5 threshold. */
  precision: number;
  recall: number;
  trainSize: number;
  testSize: number;
}

/** Fewer labelled files than this per class and the classifier step is skipped (it would be noise). */
export const MIN_FILES_PER_CLASS = 5;

/**
 * Trains the recall classifier: industrial files (a marker) of rule-accepted
 * repositories are positives; unmarked code files of repositories the rules did
 * not accept are negatives. Precision and recall are measured on a seeded
 * held-out share; the stored model is then retrained on everything.
 */
export function trainRecallClassifier(
  db: Db, accepted: LabelledFile[][], others: LabelledFile[][], p: { holdout: number; params: NgramParams },
): TrainedClassifier | null {
  const examples: Example[] = [
    ...accepted.flat().filter((f) => f.domain !== 'general').map((f) => ({ features: featurize(f.text, p.params), label: 1 as const })),
    ...others.flat().filter((f) => f.domain === 'general').map((f) => ({ features: featurize(f.text, p.params), label: 0 as const })),
  ];
  const pos = examples.filter((e) => e.label === 1).length;
  if (pos < MIN_FILES_PER_CLASS || examples.length - pos < MIN_FILES_PER_CLASS) return null;
  const rnd = createRandom(`${p.params.seed}:holdout`);
  const test: Example[] = [];
  const train: Example[] = [];
  for (const e of examples) (rnd.next() < p.holdout ? test : train).push(e);
  const probe = trainNgramModel(train, p.params);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const e of test) {
    const yes = predict(probe, e.features) >= 0.5;
    if (yes && e.label === 1) tp++;
    else if (yes) fp++;
    else if (e.label === 1) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const model = trainNgramModel(examples, p.params);
  const modelId = saveModel(db, {
    params: { ...p.params, bias: model.bias, positives: pos, negatives: examples.length - pos },
    weights: serializeWeights(model), precision, recall, trainSize: train.length, testSize: test.length,
  });
  return { model, modelId, precision, recall, trainSize: train.length, testSize: test.length };
}
