// Gradient clipping by global norm (Pascanu et al. 2013): g ← g · min(1, c / ||g||₂).
import * as tf from '@tensorflow/tfjs-core';
import { fusedSquaredNorm } from '../backend/kernels/squared-norm.js';

/** ‖g‖₂ over all tensors, one kernel for the sum of squares where the backend has it. */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(fusedSquaredNorm(grads) ?? tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** Scaled gradients; `norm` is their global norm before clipping. */
export function clipByGlobalNorm(grads: tf.Tensor[], norm: tf.Scalar, maxNorm: number): tf.Tensor[] {
  return tf.tidy(() => {
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    return grads.map((g) => tf.mul(g, scale));
  });
}
