// Gradient-blocking ops tfjs lacks, built with tf.customGrad: stop-gradient (sg[·] in
// van den Oord et al. 2017) and the straight-through estimator (Bengio et al. 2013).
import * as tf from '@tensorflow/tfjs-core';

/** customGrad's declared parameter type (variadic over tensors and a save function), for casting typed functions. */
export type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

const stop = tf.customGrad(((x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as CustomGradFunc);

/** The identity forward, zero gradient backward. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}

const passThrough = tf.customGrad(((_x: tf.Tensor, q: tf.Tensor) => ({
  value: tf.clone(q),
  gradFunc: (dy: tf.Tensor) => [dy, tf.zerosLike(dy)],
})) as CustomGradFunc);

/** Forward: q. Backward: the gradient arriving at q goes to x unchanged (none reaches q). */
export function straightThrough<T extends tf.Tensor>(x: T, q: T): T {
  return passThrough(x, q) as T;
}
