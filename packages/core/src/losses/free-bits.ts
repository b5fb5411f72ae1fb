// Free bits (Kingma et al. 2016, eq. 15): each latent dimension's batch-mean KL is floored at λ
// nats, so the optimiser gains nothing by pushing a dimension's KL below λ.
import * as tf from '@tensorflow/tfjs-core';
import { klElementwise } from './kl.js';

/** Σ_d max(λ, mean_batch KL_d), a scalar; equals the mean KL when λ = 0. */
export function freeBitsKl(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.maximum(tf.mean(klElementwise(zMean, zLogVar), 0), lambda)) as tf.Scalar);
}
