// Reference points that any model must beat: the mean-image baseline predicts every test image
// as the per-pixel mean of the training images.
import { exampleSize, type ImageDataset } from '../data/dataset.js';

/** Per-pixel mean squared error of predicting each `test` image by the mean `train` image. */
export function meanImageMse(train: ImageDataset, test: ImageDataset): number {
  const size = exampleSize(train);
  if (exampleSize(test) !== size) throw new Error(`train images have ${size} values, test images ${exampleSize(test)}`);
  const mean = new Float64Array(size);
  for (let i = 0; i < train.count * size; i++) mean[i % size] += train.images[i];
  for (let p = 0; p < size; p++) mean[p] /= train.count;
  let sum = 0;
  for (let i = 0; i < test.count * size; i++) sum += (test.images[i] - mean[i % size]) ** 2;
  return sum / (test.count * size);
}
