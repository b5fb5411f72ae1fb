// Test-set evaluation of a VQ-VAE: per-pixel reconstruction MSE and codebook usage over the
// whole set (perplexity exp(H) of the code histogram, share of codes used), plus the encoded
// code grids that priors are fitted to.
import { disposeBatch, type ImageDataset, sequentialBatches, tf, yieldToEventLoop } from '@vaelab/core';
import type { VqVae } from './model.js';

export interface VqEvalReport {
  /** Mean squared error per pixel of the quantised reconstruction. */
  mse: number;
  perplexity: number;
  usedFraction: number;
  /** How often each code was chosen, over every grid cell of every image. */
  codeCounts: number[];
  examples: number;
}

/** Every image's code grid, example-major (int32, count·h·w values). */
export async function encodeDatasetCodes(model: VqVae, dataset: ImageDataset, batchSize = 500): Promise<Int32Array> {
  const cells = model.gridShape[0] * model.gridShape[1];
  const codes = new Int32Array(dataset.count * cells);
  let offset = 0;
  for (const batch of sequentialBatches(dataset, batchSize)) {
    const grid = model.encodeCodes(batch.x);
    codes.set(await grid.data(), offset);
    offset += grid.size;
    grid.dispose();
    disposeBatch(batch);
    await yieldToEventLoop();
  }
  return codes;
}

export async function evaluateVqVae(model: VqVae, dataset: ImageDataset, batchSize = 500): Promise<VqEvalReport> {
  let squared = 0;
  const counts = new Float64Array(model.numEmbeddings);
  for (const batch of sequentialBatches(dataset, batchSize)) {
    const { images, codes } = model.reconstructWithCodes(batch.x);
    const sse = tf.tidy(() => tf.sum(tf.squaredDifference(images, batch.x)));
    squared += (await sse.data())[0];
    for (const c of await codes.data()) counts[c]++;
    tf.dispose([sse, images, codes]);
    disposeBatch(batch);
    await yieldToEventLoop();
  }
  const [h, w, c] = model.config.inputShape;
  const total = counts.reduce((a, b) => a + b, 0);
  const entropy = counts.reduce((e, n) => (n > 0 ? e - (n / total) * Math.log(n / total) : e), 0);
  return {
    mse: squared / (dataset.count * h * w * c),
    perplexity: Math.exp(entropy),
    usedFraction: counts.filter((n) => n > 0).length / counts.length,
    codeCounts: Array.from(counts),
    examples: dataset.count,
  };
}
