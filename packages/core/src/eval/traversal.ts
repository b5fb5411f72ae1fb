// Latent traversals (Higgins et al. 2017, fig. 7): one row per latent dimension, sweeping that
// dimension over [-limit, limit] while the others stay at a base code.
import * as tf from '@tensorflow/tfjs-core';

export function latentTraversal(decode: (z: tf.Tensor2D) => tf.Tensor4D, base: ArrayLike<number>, steps = 8, limit = 3): tf.Tensor4D {
  return tf.tidy(() => {
    const d = base.length;
    const z = new Float32Array(d * steps * d);
    for (let row = 0; row < d; row++) {
      for (let s = 0; s < steps; s++) {
        const offset = (row * steps + s) * d;
        for (let j = 0; j < d; j++) z[offset + j] = base[j];
        z[offset + row] = -limit + (2 * limit * s) / Math.max(steps - 1, 1);
      }
    }
    return decode(tf.tensor2d(z, [d * steps, d]));
  });
}
