// Reparameterisation trick (Kingma & Welling 2014, eq. 4): z = μ + exp(½ log σ²) · ε, ε ~ N(0, I).
import * as tf from '@tensorflow/tfjs-core';

export function reparameterize(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const eps = tf.randomNormal(zMean.shape, 0, 1, 'float32', seed);
    return tf.add(zMean, tf.mul(tf.exp(tf.mul(zLogVar, 0.5)), eps)) as tf.Tensor2D;
  });
}
