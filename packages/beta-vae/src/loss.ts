// β-VAE objectives as pure functions of per-example terms:
//   β form (Higgins et al. 2017, eq. 4):        E[-log p(x|z)] + β·KL
//   capacity form (Burgess et al. 2018, eq. 8): E[-log p(x|z)] + γ·|KL − C|
import { type LossOutput, tf, vaeLoss } from '@vaelab/core';
import type { BetaVaeObjective } from './config.js';

/** C(step) = min(C_max, C_max · step / steps). */
export function capacityAt(objective: Extract<BetaVaeObjective, { kind: 'capacity' }>, step: number): number {
  return Math.min(objective.maxCapacity, (objective.maxCapacity * step) / objective.capacitySteps);
}

/**
 * `klWeight` is the schedule multiplier w(step) (β form only); `klObjective` replaces the
 * optimised KL when free bits are on.
 */
export function betaVaeLoss(
  reconstruction: tf.Tensor1D, kl: tf.Tensor1D, objective: BetaVaeObjective, step: number, klWeight = 1, klObjective?: tf.Scalar,
): LossOutput {
  if (objective.kind === 'beta') return vaeLoss(reconstruction, kl, objective.beta * klWeight, klObjective);
  return tf.tidy(() => {
    const rec = tf.mean(reconstruction) as tf.Scalar;
    const klMean = tf.mean(kl) as tf.Scalar;
    const gap = tf.abs(tf.sub(klObjective ?? klMean, capacityAt(objective, step)));
    return { total: tf.add(rec, tf.mul(gap, objective.gamma)) as tf.Scalar, parts: { reconstruction: rec, kl: klMean } };
  });
}
