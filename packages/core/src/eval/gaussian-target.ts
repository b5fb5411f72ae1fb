// The evaluation target of every Gaussian-latent variant (VAE, β-VAE, CVAE). Features are the
// encoder means; anomaly scores are the negative ELBO, the reconstruction error and (when k > 0)
// the importance-weighted bound. A conditional model scores an image by its best explanation
// over the classes it was trained on (min over y), since an anomaly has no label to give it.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import { negativeElboPerExample } from '../model/gaussian-latent-loss.js';
import type { GaussianVae } from '../model/gaussian-vae.js';
import { deriveSeed } from '../util/random.js';
import { evaluateGaussianModel, importanceWeightedNll } from './evaluate.js';
import type { EvaluationTarget } from './evaluation-target.js';
import { latentPath } from './latent-path.js';

export interface GaussianTargetOptions {
  /** k of the importance-weighted anomaly score; 0 leaves it out. */
  importanceSamples?: number;
  /** The classes a conditional model was trained on (default: all of its classes). */
  trainedClasses?: number[];
}

export function gaussianTarget(model: GaussianVae, options: GaussianTargetOptions = {}): EvaluationTarget {
  const k = options.importanceSamples ?? 0;
  const numClasses = Number((model.config as { numClasses?: number }).numClasses ?? 0);
  const classes = options.trainedClasses ?? Array.from({ length: numClasses }, (_, i) => i);
  const pixels = model.config.inputShape.reduce((a, b) => a * b, 1);

  /** Per-example scores for the batch as labelled `labels` (conditional) or as it is. */
  const scoresGiven = (batch: Batch, seed: number): Record<string, tf.Tensor1D> => ({
    negativeElbo: negativeElboPerExample(model, batch, seed),
    reconstruction: tf.div(tf.sum(tf.squaredDifference(model.reconstructBatch(batch), batch.x), [1, 2, 3]), pixels) as tf.Tensor1D,
    ...(k > 0 ? { iwNll: importanceWeightedNll(model, batch, k, deriveSeed(seed, 1)) } : {}),
  });

  return {
    conditional: model.conditional,
    latentSize: model.latentDim,
    reconstruct: (batch) => model.reconstructBatch(batch),
    features: model.conditional ? null : (batch) => model.encodeBatch(batch).zMean,
    anomalyScores: (batch, seed) => tf.tidy(() => {
      if (!model.conditional) return scoresGiven({ x: batch.x }, seed);
      const perClass = classes.map((y) => scoresGiven({ x: batch.x, labels: tf.fill([batch.x.shape[0]], y, 'int32') as tf.Tensor1D }, seed));
      return Object.fromEntries(Object.keys(perClass[0]).map((name) => [name, tf.min(tf.stack(perClass.map((s) => s[name])), 0) as tf.Tensor1D]));
    }),
    sample: (n, seed, labels) => tf.tidy(() => model.sample(n, { seed, ...(labels ? { labels: tf.tensor1d(labels, 'int32') } : {}) })),
    interpolate: (a, b, steps) => tf.tidy(() => {
      const za = model.encodeBatch(a).zMean;
      const zb = model.encodeBatch(b).zMean;
      const decode = (z: tf.Tensor) => model.decode(z as tf.Tensor2D, a.labels ? { labels: tf.tile(a.labels, [steps]) as tf.Tensor1D } : {});
      return { linear: decode(latentPath(za, zb, steps, 'linear')), spherical: decode(latentPath(za, zb, steps, 'spherical')) };
    }),
    familyMetrics: async (test, { seed, importanceSamples, likelihood, latent }) => {
      if (!likelihood && !latent) return {};
      const report = await evaluateGaussianModel(model, test, { seed, importanceSamples: likelihood ? importanceSamples : 0 });
      return {
        ...(likelihood ? { 'eval/negativeElbo': report.negativeElbo, ...(report.iwNll != null ? { 'eval/iwNll': report.iwNll } : {}) } : {}),
        ...(latent ? { 'eval/activeUnits': report.activeUnits } : {}),
      };
    },
  };
}
