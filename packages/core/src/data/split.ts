// A seeded train/test split for sources that come as one set, and the per-column
// standardisation of tables with statistics of the training split only.
import { type ImageDataset, selectExamples } from './dataset.js';
import { shuffledIndices } from '../util/random.js';

export function splitDataset(dataset: ImageDataset, testFraction: number, seed: number): { train: ImageDataset; test: ImageDataset } {
  const testCount = Math.round(dataset.count * testFraction);
  if (testCount < 2 || dataset.count - testCount < 2) {
    throw new Error(`${dataset.name}: a test fraction of ${testFraction} of ${dataset.count} examples gives ${testCount} test and ${dataset.count - testCount} training examples; each needs at least 2`);
  }
  const order = shuffledIndices(dataset.count, seed);
  return {
    train: { ...selectExamples(dataset, order.subarray(testCount)), name: `${dataset.name}-train` },
    test: { ...selectExamples(dataset, order.subarray(0, testCount)), name: `${dataset.name}-test` },
  };
}

export interface ColumnStats {
  mean: number[];
  std: number[];
}

/** Per-column mean and (population) standard deviation; a constant column gets std 1. */
export function columnStats(dataset: ImageDataset): ColumnStats {
  const d = dataset.images.length / dataset.count;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let i = 0; i < dataset.count; i++) for (let j = 0; j < d; j++) mean[j] += dataset.images[i * d + j] / dataset.count;
  for (let i = 0; i < dataset.count; i++) for (let j = 0; j < d; j++) sq[j] += (dataset.images[i * d + j] - mean[j]) ** 2 / dataset.count;
  return { mean, std: sq.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** A copy with every column shifted and scaled by `stats`. */
export function standardize(dataset: ImageDataset, stats: ColumnStats): ImageDataset {
  const d = stats.mean.length;
  const images = Float32Array.from(dataset.images, (v, k) => (v - stats.mean[k % d]) / stats.std[k % d]);
  return { ...dataset, images };
}
