// Uses of a VAE with few labels. Probe: logistic regression on the model's features from N
// labelled training images, beside the same probe on raw pixels. Augmentation: core's digit
// classifier trained on the N images alone and with class-conditional samples added, for the
// same number of updates, both scored on the test set.
import { concatDatasets, exampleSize, type ImageDataset, selectExamples } from '../data/dataset.js';
import { shuffledIndices } from '../util/random.js';
import { collectRows } from './collect.js';
import { classifierAccuracy, trainDigitClassifier } from './digit-classifier.js';
import type { EvaluationTarget } from './evaluation-target.js';
import { type LabelledFeatures, linearProbeAccuracy } from './linear-probe.js';

/** The same N labelled images for every model of a seed: the first N of a seeded shuffle. */
export function labelledSubset(train: ImageDataset, n: number, seed: number): ImageDataset {
  if (n > train.count) throw new Error(`${n} labelled images asked for, but the training set has ${train.count}`);
  return selectExamples(train, shuffledIndices(train.count, seed).subarray(0, n));
}

async function featuresOf(target: EvaluationTarget, set: ImageDataset): Promise<LabelledFeatures> {
  const features = (await collectRows(set, (b) => ({ f: target.features!(b) }))).f;
  return { features, labels: set.labels, dim: features.length / set.count };
}

const pixelsOf = (set: ImageDataset): LabelledFeatures => ({ features: set.images, labels: set.labels, dim: exampleSize(set) });

export async function probeAccuracies(
  target: EvaluationTarget, train: ImageDataset, test: ImageDataset, sizes: number[], seed: number,
): Promise<Record<string, number>> {
  const metrics: Record<string, number> = {};
  const options = { numClasses: train.numClasses };
  const testFeatures = target.features ? await featuresOf(target, test) : null;
  for (const n of sizes) {
    const subset = labelledSubset(train, n, seed);
    if (testFeatures) metrics[`eval/probe${n}`] = await linearProbeAccuracy(await featuresOf(target, subset), testFeatures, options);
    metrics[`eval/probe${n}Pixels`] = await linearProbeAccuracy(pixelsOf(subset), pixelsOf(test), options);
  }
  return metrics;
}

export interface AugmentationOptions {
  sizes: number[];
  /** Generated images per real one (balanced over `classes`). */
  ratio: number;
  /** Classifier updates per arm. */
  steps: number;
  classes: number[];
  seed: number;
}

/** The generated labelled set: `count` samples cycling through the classes. */
async function generatedSet(target: EvaluationTarget, like: ImageDataset, count: number, classes: number[], seed: number): Promise<ImageDataset> {
  const labels = Int32Array.from({ length: count }, (_, i) => classes[i % classes.length]);
  const images = new Float32Array(count * exampleSize(like));
  for (let start = 0; start < count; start += 500) {
    const part = labels.subarray(start, Math.min(count, start + 500));
    const t = target.sample!(part.length, seed + start, part);
    images.set(await t.data(), start * exampleSize(like));
    t.dispose();
  }
  return { ...like, name: `${like.name}-generated`, images, labels, count };
}

export async function augmentationGains(
  target: EvaluationTarget, train: ImageDataset, test: ImageDataset, options: AugmentationOptions,
): Promise<Record<string, number>> {
  if (!target.conditional || target.sample == null) return {};
  const metrics: Record<string, number> = {};
  for (const n of options.sizes) {
    const real = labelledSubset(train, n, options.seed);
    const generated = await generatedSet(target, real, n * options.ratio, options.classes, options.seed);
    const accuracy = async (set: ImageDataset) => {
      const classifier = await trainDigitClassifier(set, { steps: options.steps, seed: options.seed });
      try {
        return await classifierAccuracy(classifier, test);
      } finally {
        classifier.dispose();
      }
    };
    const base = await accuracy(real);
    const augmented = await accuracy(concatDatasets(real, generated));
    Object.assign(metrics, { [`eval/augment${n}Base`]: base, [`eval/augment${n}With`]: augmented, [`eval/augment${n}Gain`]: augmented - base });
  }
  return metrics;
}
