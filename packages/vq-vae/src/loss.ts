// The VQ-VAE objective (van den Oord et al. 2017, eq. 3): reconstruction + ||sg[z_e] − e||²
// + β·||z_e − sg[e]||². With EMA codebooks the middle term is left out of the total (the EMA
// moves the codes) but still reported; FSQ has neither term (both 0).
import { type LossOutput, tf } from '@vaelab/core';

/**
 * `reconstruction` is the decoder's NLL averaged over pixels (not summed), which keeps the paper's
 * balance against the per-element codebook and commitment terms.
 */
export function vqVaeLoss(
  reconstruction: tf.Scalar, codebook: tf.Scalar, commitment: tf.Scalar, commitmentCost: number, codebookLossTrains: boolean,
): LossOutput {
  return tf.tidy(() => {
    const withCommitment = tf.add(reconstruction, tf.mul(commitment, commitmentCost));
    const total = (codebookLossTrains ? tf.add(withCommitment, codebook) : withCommitment) as tf.Scalar;
    return { total, parts: { reconstruction, codebook, commitment } };
  });
}
