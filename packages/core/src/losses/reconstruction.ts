// Per-example reconstruction negative log-likelihoods, summed over all pixels (nats).
import * as tf from '@tensorflow/tfjs-core';
import { fusedBernoulliNll } from '../backend/kernels/bernoulli-nll.js';

function sumPerExample(t: tf.Tensor): tf.Tensor1D {
  return tf.sum(tf.reshape(t, [t.shape[0], -1]), 1) as tf.Tensor1D;
}

/**
 * Bernoulli NLL from logits: -[x log σ(l) + (1-x) log(1-σ(l))] = max(l,0) - l·x + log(1+e^{-|l|}),
 * one fused kernel where the backend has it (wasm, cpu).
 */
export function bernoulliNll(logits: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => fusedBernoulliNll(logits, x)
    ?? sumPerExample(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))));
}

/** Gaussian NLL with fixed σ: (x-μ)²/(2σ²) + log σ + ½ log 2π per pixel. */
export function gaussianNll(mean: tf.Tensor, x: tf.Tensor, sigma: number): tf.Tensor1D {
  const constant = Math.log(sigma) + 0.5 * Math.log(2 * Math.PI);
  return tf.tidy(() => sumPerExample(tf.add(tf.div(tf.squaredDifference(x, mean), 2 * sigma * sigma), constant)));
}

/** Gaussian NLL with a per-feature log σ (broadcast over the batch), clipped to σ ∈ [e⁻⁶, e⁶] for stability. */
export function learnedGaussianNll(mean: tf.Tensor, x: tf.Tensor, logSigma: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const s = tf.clipByValue(logSigma, -6, 6);
    const z2 = tf.div(tf.squaredDifference(x, mean), tf.mul(2, tf.exp(tf.mul(2, s))));
    return sumPerExample(tf.add(tf.add(z2, s), 0.5 * Math.log(2 * Math.PI)));
  });
}

/** Sum of squared errors per example. */
export function squaredError(mean: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => sumPerExample(tf.squaredDifference(x, mean)));
}
