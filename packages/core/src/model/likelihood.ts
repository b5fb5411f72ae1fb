// Decoder output heads: what a raw decoder output means under each likelihood.
import * as tf from '@tensorflow/tfjs-core';
import { bernoulliNll, gaussianNll, learnedGaussianNll } from '../losses/reconstruction.js';
import type { LikelihoodConfig } from './vae-config.js';

/** Per-example -log p(x | decoder output), shape [B]; a learned Gaussian needs the model's log σ. */
export function reconstructionNll(likelihood: LikelihoodConfig, output: tf.Tensor, x: tf.Tensor, logSigma?: tf.Tensor): tf.Tensor1D {
  if (likelihood.kind === 'bernoulli') return bernoulliNll(output, x);
  if (likelihood.kind === 'gaussian') return gaussianNll(output, x, likelihood.sigma);
  if (logSigma == null) throw new Error('likelihood gaussian-learned: this model has no learned log σ (use bernoulli or gaussian)');
  return learnedGaussianNll(output, x, logSigma);
}

/** The mean image E[x | decoder output]. */
export function outputMean(likelihood: LikelihoodConfig, output: tf.Tensor): tf.Tensor {
  return likelihood.kind === 'bernoulli' ? tf.sigmoid(output) : tf.clone(output);
}
