// What the explorer sends the page besides facts: raw float32 tensors, and the test images it
// shows beside its controls as bytes (thumbnails only; the page decodes latents, not these).
import { exampleSize, type ImageDataset, type tf } from '@vaelab/core';

/** A float32 tensor as the page receives it. */
export async function rawTensor(name: string, tensor: tf.Tensor) {
  const values = (await tensor.data()) as Float32Array;
  return { name, shape: tensor.shape, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}

/** Test images offered in the page (the plane's corners, the code grids to edit). */
export const EXAMPLES = 12;

export function exampleThumbnails(images: ImageDataset | null, count: number) {
  if (images == null) return [];
  const size = exampleSize(images);
  return Array.from({ length: Math.min(count, images.count) }, (_, i) => ({
    pixels: Array.from(images.images.subarray(i * size, (i + 1) * size), (v) => Math.round(255 * Math.min(1, Math.max(0, v)))),
    label: images.labels.length > 0 ? images.labels[i] : null,
  }));
}
