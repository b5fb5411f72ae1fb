// Sample quality through core's digit classifier: the Fréchet distance between generated and
// test images in its penultimate-layer features (a "Fréchet classifier distance", the MNIST
// analogue of FID), the entropy of the classes it sees in the samples (diversity; ln 10 at most
// for digits), the share it classifies with confidence ≥ 0.9, and for conditional models the
// share that are the class they were asked to be.
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../data/dataset.js';
import { yieldToEventLoop } from '../util/yield.js';
import { collectRows } from './collect.js';
import type { DigitClassifier } from './digit-classifier.js';
import type { EvaluationTarget } from './evaluation-target.js';
import { featureStats, frechetDistance } from './frechet.js';

export const CONFIDENT = 0.9;

export interface SampleQualityOptions {
  count: number;
  seed: number;
  /** Classes a conditional model is asked for, in turn (default: all the classifier knows). */
  classes?: number[];
}

export async function sampleQuality(
  target: EvaluationTarget, classifier: DigitClassifier, test: ImageDataset, options: SampleQualityOptions,
): Promise<Record<string, number>> {
  if (target.sample == null) return {};
  const sample = target.sample;
  const dim = classifier.featureUnits;
  const c = classifier.config.numClasses;
  const classes = options.classes ?? Array.from({ length: c }, (_, i) => i);
  const reference = featureStats((await collectRows(test, (b) => ({ f: classifier.features(b.x) }))).f, dim);
  const features = new Float32Array(options.count * dim);
  const histogram = new Float64Array(c);
  let confident = 0;
  let asked = 0;
  const chunk = 500;
  for (let start = 0; start < options.count; start += chunk) {
    const n = Math.min(chunk, options.count - start);
    const labels = target.conditional ? Int32Array.from({ length: n }, (_, i) => classes[(start + i) % classes.length]) : null;
    const [f, p] = tf.tidy(() => {
      const images = sample(n, options.seed + start, labels);
      return [classifier.features(images), classifier.probabilities(images)];
    });
    features.set(await f.data(), start * dim);
    const probs = await p.data();
    tf.dispose([f, p]);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (probs[i * c + k] > probs[i * c + best]) best = k;
      histogram[best]++;
      if (probs[i * c + best] >= CONFIDENT) confident++;
      if (labels != null && best === labels[i]) asked++;
    }
    await yieldToEventLoop();
  }
  const entropy = -histogram.reduce((s, h) => (h > 0 ? s + (h / options.count) * Math.log(h / options.count) : s), 0);
  return {
    'eval/fcd': frechetDistance(featureStats(features, dim), reference),
    'eval/sampleEntropy': entropy,
    'eval/sampleConfident': confident / options.count,
    ...(target.conditional ? { 'eval/labelAccuracy': asked / options.count } : {}),
  };
}
