// Any IDX pair in MNIST's format (Fashion-MNIST, KMNIST, EMNIST): unsigned-byte images of rank 3
// and, optionally, their labels of rank 1.
import type { ImageDataset } from '../dataset.js';
import { readIdxFile } from '../idx.js';
import { arraysToDataset } from './arrays.js';

export function loadIdxPair(imagesPath: string, labelsPath?: string, name = imagesPath): ImageDataset {
  const images = readIdxFile(imagesPath, 3);
  const labels = labelsPath == null ? undefined : readIdxFile(labelsPath, 1);
  if (labels != null && labels.dims[0] !== images.dims[0]) {
    throw new Error(`${labelsPath}: has ${labels.dims[0]} labels but ${imagesPath} has ${images.dims[0]} images`);
  }
  return arraysToDataset({
    x: { shape: images.dims, data: images.data, dtype: 'u1' },
    ...(labels ? { y: { shape: labels.dims, data: labels.data, dtype: 'u1' } } : {}),
  }, name, imagesPath);
}
