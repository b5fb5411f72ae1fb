// Central finite differences, to check analytic gradients (float64 would be nicer, but tfjs
// computes in float32, so callers compare with a tolerance suited to the step size).
import * as tf from '@tensorflow/tfjs-core';

/** d f / d x by central differences at every element of x (small tensors only). */
export function numericGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, h = 1e-2): Float32Array {
  const base = x.dataSync().slice() as Float32Array;
  const grad = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number): number => {
      const shifted = base.slice();
      shifted[i] += delta;
      return tf.tidy(() => f(tf.tensor(shifted, x.shape)).dataSync()[0]);
    };
    grad[i] = (at(h) - at(-h)) / (2 * h);
  }
  return grad;
}

/** max |a-b| / max(1, |b|) over elements. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
