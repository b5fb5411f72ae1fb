// Paths between two latent codes: linear, and spherical (slerp, Shoemake 1985), which keeps
// Gaussian codes at the norms the prior puts its mass on rather than cutting through the centre.
import * as tf from '@tensorflow/tfjs-core';

export type PathKind = 'linear' | 'spherical';

/** `steps` points from a to b (each [1, ...]), stacked on the first axis. */
export function latentPath(a: tf.Tensor, b: tf.Tensor, steps: number, kind: PathKind): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.reshape(tf.linspace(0, 1, steps), [steps, ...a.shape.slice(1).map(() => 1)]);
    const line = tf.add(a, tf.mul(t, tf.sub(b, a)));
    if (kind === 'linear') return line;
    const cos = tf.clipByValue(tf.div(tf.sum(tf.mul(a, b)), tf.mul(tf.norm(a), tf.norm(b))), -1, 1);
    const omega = tf.acos(cos);
    // Nearly parallel codes: slerp tends to the straight line (and would divide by ~0).
    const sinOmega = tf.maximum(tf.sin(omega), 1e-6);
    const wa = tf.div(tf.sin(tf.mul(tf.sub(1, t), omega)), sinOmega);
    const wb = tf.div(tf.sin(tf.mul(t, omega)), sinOmega);
    const arc = tf.add(tf.mul(wa, a), tf.mul(wb, b));
    return tf.where(tf.broadcastTo(tf.less(tf.sin(omega), 1e-6), arc.shape), line, arc);
  });
}
