// Seeded shuffling and batching: epoch e of a run with seed s always sees the same order,
// which makes resuming mid-run exact.
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, shuffledIndices } from '../util/random.js';
import { exampleSize, type ImageDataset } from './dataset.js';

export interface Batch {
  x: tf.Tensor4D;
  /** Integer labels [batch], present when the dataset has labels. */
  labels?: tf.Tensor1D;
}

const SHUFFLE_STREAM = 1;

export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  return shuffledIndices(count, deriveSeed(seed, SHUFFLE_STREAM, epoch));
}

export function batchesPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** Builds the batch of the given example indices; the caller disposes its tensors. */
export function makeBatch(dataset: ImageDataset, indices: ArrayLike<number>): Batch {
  const size = exampleSize(dataset);
  const n = indices.length;
  const pixels = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const idx = indices[i];
    pixels.set(dataset.images.subarray(idx * size, (idx + 1) * size), i * size);
    if (dataset.labels.length > 0) labels[i] = dataset.labels[idx];
  }
  const x = tf.tensor4d(pixels, [n, ...dataset.inputShape]);
  return dataset.labels.length > 0 ? { x, labels: tf.tensor1d(labels, 'int32') } : { x };
}

/** Contiguous batches in dataset order (for evaluation). */
export function* sequentialBatches(dataset: ImageDataset, batchSize: number): Generator<Batch> {
  for (let start = 0; start < dataset.count; start += batchSize) {
    const end = Math.min(start + batchSize, dataset.count);
    const indices = new Int32Array(end - start);
    for (let i = 0; i < indices.length; i++) indices[i] = start + i;
    yield makeBatch(dataset, indices);
  }
}

export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.labels?.dispose();
}
