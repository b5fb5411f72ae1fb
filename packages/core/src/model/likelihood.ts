// Decoder output heads: what a raw decoder output means under each likelihood.
import * as tf from '@tensorflow/tfjs-core';
import { bernoulliNll, gaussianNll } from '../losses/reconstruction.js';
import type { LikelihoodConfig } from './vae-config.js';

/** Per-example -log p(x | decoder output), shape [B]. */
export function reconstructionNll(likelihood: LikelihoodConfig, output: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return likelihood.kind === 'bernoulli' ? bernoulliNll(output, x) : gaussianNll(output, x, likelihood.sigma);
}

/** The mean image E[x | decoder output]. */
export function outputMean(likelihood: LikelihoodConfig, output: tf.Tensor): tf.Tensor {
  return likelihood.kind === 'bernoulli' ? tf.sigmoid(output) : tf.clone(output);
}
