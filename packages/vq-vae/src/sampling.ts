// Seeded categorical draws by the Gumbel-max trick (argmax works on every backend; WASM has no
// Multinomial kernel).
import { tf } from '@vaelab/core';

/** One draw per row of logits [N, K]; −Infinity logits are never drawn. */
export function sampleCategorical(logits: tf.Tensor2D, seed: number): tf.Tensor1D {
  return tf.tidy(() => {
    const u = tf.randomUniform(logits.shape, 1e-7, 1 - 1e-7, 'float32', seed);
    return tf.argMax(tf.sub(logits, tf.log(tf.neg(tf.log(u)))), 1) as tf.Tensor1D;
  });
}
