// The per-example terms every Gaussian-latent objective is built from (reconstruction NLL with one
// reparameterised sample, analytic KL, the free-bits KL), from the model's own encode/decode.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import { freeBitsKl } from '../losses/free-bits.js';
import { klStandardNormal } from '../losses/kl.js';
import type { GaussianLatentModel } from './gaussian-latent.js';
import { reparameterize } from './reparameterize.js';

export interface GaussianLatentTerms {
  /** -log p(x|z) per example, one posterior sample. */
  reconstruction: tf.Tensor1D;
  /** KL(q(z|x) || N(0, I)) per example. */
  kl: tf.Tensor1D;
  /** The KL term to optimise when free bits are on (scalar), else undefined. */
  klObjective?: tf.Scalar;
}

/** The per-example terms every Gaussian-latent objective is built from. */
export function gaussianLatentTerms(model: GaussianLatentModel, batch: Batch, noiseSeed: number, freeBits: number): GaussianLatentTerms {
  return tf.tidy(() => {
    const { zMean, zLogVar } = model.encodeBatch(batch);
    const z = reparameterize(zMean, zLogVar, noiseSeed);
    const terms: GaussianLatentTerms = { reconstruction: model.reconstructionNll(z, batch), kl: klStandardNormal(zMean, zLogVar) };
    if (freeBits > 0) terms.klObjective = freeBitsKl(zMean, zLogVar, freeBits);
    return terms as unknown as tf.TensorContainerObject;
  }) as unknown as GaussianLatentTerms;
}

/** Per-example negative ELBO (nats) with one posterior sample: the anomaly score of any such model. */
export function negativeElboPerExample(model: GaussianLatentModel, batch: Batch, seed: number): tf.Tensor1D {
  return tf.tidy(() => {
    const { reconstruction, kl } = gaussianLatentTerms(model, batch, seed, 0);
    return tf.add(reconstruction, kl) as tf.Tensor1D;
  });
}
