// The anomaly-detection baseline: PCA fitted to the training images, scoring each image by its
// squared reconstruction error from the top `components` principal directions. A VAE's anomaly
// AUROC means something beside what a linear model of the same latent size reaches.
import * as tf from '@tensorflow/tfjs-core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { disposeBatch, sequentialBatches } from '../data/batches.js';
import { exampleSize, type ImageDataset, takeExamples } from '../data/dataset.js';
import { yieldToEventLoop } from '../util/yield.js';

export interface PcaModel {
  /** Per-pixel mean, [d]. */
  mean: tf.Tensor1D;
  /** Top principal directions as columns, [d, components]. */
  basis: tf.Tensor2D;
  dispose(): void;
}

/** Fits PCA to (at most `maxExamples` of) the dataset's images. */
export async function fitPca(dataset: ImageDataset, components: number, maxExamples = 10_000): Promise<PcaModel> {
  const d = exampleSize(dataset);
  if (!Number.isInteger(components) || components < 1 || components > d) throw new Error(`PCA components must be an integer in 1..${d}, got ${components}`);
  const data = takeExamples(dataset, maxExamples);
  const mean = tf.tidy(() => tf.mean(tf.tensor2d(data.images, [data.count, d]), 0) as tf.Tensor1D);
  let scatter = tf.zeros([d, d]);
  for (const batch of sequentialBatches(data, 1000)) {
    const next = tf.tidy(() => {
      const xc = tf.sub(tf.reshape(batch.x, [batch.x.shape[0], d]), mean);
      return tf.add(scatter, tf.matMul(xc, xc, true, false));
    });
    scatter.dispose();
    scatter = next;
    disposeBatch(batch);
    await yieldToEventLoop();
  }
  const values = await scatter.data();
  scatter.dispose();
  const m = new Matrix(Array.from({ length: d }, (_, r) => Array.from(values.subarray(r * d, (r + 1) * d))));
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  // ml-matrix returns eigenvalues in ascending order: the last columns are the top directions.
  const vectors = eig.eigenvectorMatrix.subMatrix(0, d - 1, d - components, d - 1);
  const basis = tf.tensor2d(vectors.to2DArray(), [d, components]);
  return { mean, basis, dispose: () => tf.dispose([mean, basis]) };
}

/** Squared reconstruction error of each image from the PCA subspace, [B]. */
export function pcaReconstructionError(pca: PcaModel, x: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const xc = tf.sub(tf.reshape(x, [x.shape[0], -1]), pca.mean);
    const projected = tf.matMul(tf.matMul(xc, pca.basis), pca.basis, false, true);
    return tf.sum(tf.square(tf.sub(xc, projected)), 1) as tf.Tensor1D;
  });
}
