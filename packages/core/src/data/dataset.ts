// The in-memory dataset type shared by every loader: float pixels in [0, 1], NHWC.
export interface ImageDataset {
  name: string;
  /** Pixels, example-major, each example `height*width*channels` floats in [0, 1]. */
  images: Float32Array;
  /** Integer class labels, one per example (empty when the dataset has none). */
  labels: Int32Array;
  inputShape: [number, number, number];
  count: number;
  numClasses: number;
}

export function exampleSize(dataset: ImageDataset): number {
  const [h, w, c] = dataset.inputShape;
  return h * w * c;
}

/** The first `n` examples (a view, no copy). */
export function takeExamples(dataset: ImageDataset, n: number): ImageDataset {
  const count = Math.min(n, dataset.count);
  return {
    ...dataset,
    images: dataset.images.subarray(0, count * exampleSize(dataset)),
    labels: dataset.labels.subarray(0, Math.min(count, dataset.labels.length)),
    count,
  };
}
