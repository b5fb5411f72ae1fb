// Per-example reconstruction negative log-likelihoods, summed over all pixels (nats).
import * as tf from '@tensorflow/tfjs-core';

function sumPerExample(t: tf.Tensor): tf.Tensor1D {
  return tf.sum(tf.reshape(t, [t.shape[0], -1]), 1) as tf.Tensor1D;
}

/** Bernoulli NLL from logits: -[x log σ(l) + (1-x) log(1-σ(l))] = max(l,0) - l·x + log(1+e^{-|l|}). */
export function bernoulliNll(logits: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => sumPerExample(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))));
}

/** Gaussian NLL with fixed σ: (x-μ)²/(2σ²) + log σ + ½ log 2π per pixel. */
export function gaussianNll(mean: tf.Tensor, x: tf.Tensor, sigma: number): tf.Tensor1D {
  const constant = Math.log(sigma) + 0.5 * Math.log(2 * Math.PI);
  return tf.tidy(() => sumPerExample(tf.add(tf.div(tf.squaredDifference(x, mean), 2 * sigma * sigma), constant)));
}

/** Sum of squared errors per example. */
export function squaredError(mean: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => sumPerExample(tf.squaredDifference(x, mean)));
}
