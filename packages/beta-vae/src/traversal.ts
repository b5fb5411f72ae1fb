// Latent traversals of a Gaussian VAE (Higgins et al. 2017, fig. 7): one row per latent
// dimension, swept over [-limit, limit] around the posterior mean of an image.
import { type GaussianVae, latentTraversal, tf } from '@vaelab/core';

/** Rows of `steps` images, one row per latent dimension, around the first image of `x`. */
export async function traversal(model: GaussianVae, x: tf.Tensor4D, steps = 8, limit = 3): Promise<tf.Tensor4D> {
  const mean = tf.tidy(() => model.encode(tf.slice(x, [0, 0, 0, 0], [1, ...model.config.inputShape])).zMean);
  const base = await mean.data();
  mean.dispose();
  return latentTraversal((z) => model.decode(z), base, steps, limit);
}
