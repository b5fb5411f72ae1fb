// A dataset's identity for the record and for refusing changed files: sha256 over its pixels and
// labels, computed once per dataset object.
import { createHash } from 'node:crypto';
import type { ImageDataset } from '@vaelab/core';

const checksums = new WeakMap<ImageDataset, string>();

/** sha256 over the pixels and labels (cached per dataset object). */
export function dataChecksum(dataset: ImageDataset): string {
  let sum = checksums.get(dataset);
  if (sum == null) {
    const hash = createHash('sha256');
    hash.update(new Uint8Array(dataset.images.buffer, dataset.images.byteOffset, dataset.images.byteLength));
    hash.update(new Uint8Array(dataset.labels.buffer, dataset.labels.byteOffset, dataset.labels.byteLength));
    sum = `sha256:${hash.digest('hex').slice(0, 16)}`;
    checksums.set(dataset, sum);
  }
  return sum;
}
