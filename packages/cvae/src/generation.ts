// What a conditional model is for: samples of each class side by side, and label-swap
// "style transfer" (encode with the true labels, decode with others).
import { tf } from '@vaelab/core';
import type { Cvae } from './cvae-spec.js';

/** One row per class, `perClass` samples each; the same latents in every row, so columns share style. */
export function classGrid(model: Cvae, perClass: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const k = model.config.numClasses;
    const z = tf.tile(model.drawLatents(perClass, seed), [k, 1]) as tf.Tensor2D;
    const labels = tf.reshape(tf.tile(tf.reshape(tf.range(0, k, 1, 'int32'), [k, 1]), [1, perClass]), [k * perClass]) as tf.Tensor1D;
    return model.decode(z, { labels });
  });
}

/** Encode with the true labels, decode with the target labels. */
export function transfer(model: Cvae, x: tf.Tensor4D, trueLabels: tf.Tensor1D, targetLabels: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => model.decode(model.encode(x, { labels: trueLabels }).zMean, { labels: targetLabels }));
}
