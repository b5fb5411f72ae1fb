// Dead-code restarts (Dhariwal et al. 2020, Jukebox §3.3; Williams et al. 2020): a code unused for
// `afterSteps` consecutive steps is re-initialised to a random encoder output of the current batch.
// Kept on the device (a per-code "last used" step), so no step has to read usage back.
import { tf } from '@vaelab/core';

/** 1 for codes whose last use is at least `afterSteps` steps before `step`, else 0. */
export function deadCodeMask(lastUsed: tf.Tensor1D, step: number, afterSteps: number): tf.Tensor1D {
  return tf.tidy(() => tf.cast(tf.greaterEqual(tf.sub(step, lastUsed), afterSteps), 'float32') as tf.Tensor1D);
}

/** Records that codes with a positive count in `counts` [K] were used at `step`. */
export function markUsed(lastUsed: tf.Variable, counts: tf.Tensor1D, step: number): void {
  tf.tidy(() => lastUsed.assign(tf.where(tf.greater(counts, 0), tf.fill(lastUsed.shape, step), lastUsed)));
}

/**
 * Replaces the codes where `mask` [K] is 1 with encoder vectors drawn (seeded) from `flat` [N, D],
 * marks them used at `step`, and returns how many were replaced.
 */
export function restartDeadCodes(
  codebook: tf.Variable, lastUsed: tf.Variable, mask: tf.Tensor1D, flat: tf.Tensor2D, step: number, seed: number,
): tf.Scalar {
  return tf.tidy(() => {
    const [k] = codebook.shape;
    const picks = tf.randomUniform([k], 0, flat.shape[0], 'int32', seed);
    const replacements = tf.gather(flat, picks);
    const column = tf.expandDims(mask, 1);
    codebook.assign(tf.add(tf.mul(codebook, tf.sub(1, column)), tf.mul(replacements, column)));
    markUsed(lastUsed, mask as tf.Tensor1D, step);
    return tf.sum(mask) as tf.Scalar;
  });
}
