// The Gaussian-latent VAE objective: negative ELBO = E[-log p(x|z)] + β·KL(q(z|x) || p(z))
// (Kingma & Welling 2014, eq. 10; β = 1 is the plain VAE, β ≠ 1 is Higgins et al. 2017).
import * as tf from '@tensorflow/tfjs-core';

export type LossOutput = {
  total: tf.Scalar;
  /** Named scalar parts; these names reach the store and the dashboard. */
  parts: Record<string, tf.Scalar>;
};

/**
 * Batch-mean loss from per-example reconstruction NLL and KL, both shape [B]. `klObjective`
 * replaces the KL term being optimised (e.g. free bits) while `kl` is still reported as is.
 */
export function vaeLoss(reconstruction: tf.Tensor1D, kl: tf.Tensor1D, beta: number, klObjective?: tf.Scalar): LossOutput {
  return tf.tidy(() => {
    const rec = tf.mean(reconstruction) as tf.Scalar;
    const klMean = tf.mean(kl) as tf.Scalar;
    const total = tf.add(rec, tf.mul(klObjective ?? klMean, beta)) as tf.Scalar;
    return { total, parts: { reconstruction: rec, kl: klMean } };
  });
}
