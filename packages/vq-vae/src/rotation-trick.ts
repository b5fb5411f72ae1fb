// The rotation trick (Fifty et al. 2024): the forward value is the code q itself, but the
// gradient reaches the encoder output e through λR, the rotation R taking ê onto q̂ (a
// Householder reflection composed with the reflection about q̂: R = I − 2rrᵀ + 2q̂êᵀ, r the unit
// bisector of ê and q̂) scaled by λ = ‖q‖/‖e‖, both held constant. So ∂L/∂e = λRᵀ∂L/∂q:
// the angle between the gradient and e is kept, where the straight-through copy keeps the gradient.
import { type CustomGradFunc, tf } from '@vaelab/core';

const EPS = 1e-6;

function unit(v: tf.Tensor2D): tf.Tensor2D {
  return tf.div(v, tf.add(tf.norm(v, 'euclidean', 1, true), EPS)) as tf.Tensor2D;
}

/** λRᵀg per row for encoder outputs e, codes q and upstream gradients g, all [N, D]. */
export function rotationGradient(e: tf.Tensor2D, q: tf.Tensor2D, g: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const eh = unit(e);
    const qh = unit(q);
    const r = unit(tf.add(eh, qh) as tf.Tensor2D);
    const dot = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b), 1, true);
    const rotated = tf.add(tf.sub(g, tf.mul(2, tf.mul(r, dot(r, g)))), tf.mul(2, tf.mul(eh, dot(qh, g))));
    const scale = tf.div(tf.norm(q, 'euclidean', 1, true), tf.add(tf.norm(e, 'euclidean', 1, true), EPS));
    return tf.mul(scale, rotated) as tf.Tensor2D;
  });
}

/** Forward: q exactly; backward: λRᵀ·dy to e, nothing to q (the codebook learns by its loss or EMA). */
export const rotateOnto = tf.customGrad(((e: tf.Tensor2D, q: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([e, q]);
  return {
    value: tf.clone(q),
    gradFunc: (dy: tf.Tensor, [se, sq]: tf.Tensor[]) => [rotationGradient(se as tf.Tensor2D, sq as tf.Tensor2D, dy as tf.Tensor2D), tf.zerosLike(sq)],
  };
}) as CustomGradFunc) as (e: tf.Tensor2D, q: tf.Tensor2D) => tf.Tensor2D;
