// What evaluation needs from any model with a Gaussian posterior and N(0, I) prior.
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';

export interface GaussianLatentModel {
  readonly latentDim: number;
  /** q(z|x) parameters for the batch (conditions, if any, come from the batch). */
  encodeBatch(batch: Batch): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D };
  /** -log p(x | z) per example, shape [B]. */
  reconstructionNll(z: tf.Tensor2D, batch: Batch): tf.Tensor1D;
  /** Mean reconstruction from the posterior mean, shape of batch.x. */
  reconstructBatch(batch: Batch): tf.Tensor4D;
}
