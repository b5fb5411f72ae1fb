// Analytic KL(N(μ, diag σ²) || N(0, I)) (Kingma & Welling 2014, appendix B).
import * as tf from '@tensorflow/tfjs-core';

/** Per-example-and-dimension KL: -½(1 + log σ² - μ² - σ²), shape [B, D]. */
export function klElementwise(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(-0.5, tf.sub(tf.add(1, zLogVar), tf.add(tf.square(zMean), tf.exp(zLogVar)))) as tf.Tensor2D);
}

/** KL per example, summed over latent dimensions, shape [B]. */
export function klStandardNormal(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(klElementwise(zMean, zLogVar), 1) as tf.Tensor1D);
}

/** KL per latent dimension, averaged over the batch, shape [D]. */
export function klPerDimension(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(klElementwise(zMean, zLogVar), 0) as tf.Tensor1D);
}
