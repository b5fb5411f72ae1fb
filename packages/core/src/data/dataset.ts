// The in-memory dataset type shared by every loader: float pixels in [0, 1], NHWC.
export interface ImageDataset {
  name: string;
  /** Example-major values, `height*width*channels` per example: pixels in [0, 1], or a table's (standardised) columns. */
  images: Float32Array;
  /** Integer class labels, one per example (empty when the dataset has none). */
  labels: Int32Array;
  inputShape: [number, number, number];
  count: number;
  numClasses: number;
  /** Column names of a table (feature rows, inputShape [1, columns, 1]); absent for images. */
  columns?: string[];
  /** Class names by label, where the source named them (folder names, CSV label values). */
  classNames?: string[];
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

/** A copy holding the examples at `indices`, in that order. */
export function selectExamples(dataset: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const size = exampleSize(dataset);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(dataset.labels.length > 0 ? indices.length : 0);
  for (let i = 0; i < indices.length; i++) {
    images.set(dataset.images.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
    if (labels.length > 0) labels[i] = dataset.labels[indices[i]];
  }
  return { ...dataset, images, labels, count: indices.length };
}

/** The examples whose label `keep` accepts (a copy; order kept). */
export function filterByLabel(dataset: ImageDataset, keep: (label: number) => boolean): ImageDataset {
  const indices: number[] = [];
  for (let i = 0; i < dataset.count; i++) if (keep(dataset.labels[i])) indices.push(i);
  return selectExamples(dataset, indices);
}

/** Two datasets of the same shape, one after the other (a copy). */
export function concatDatasets(a: ImageDataset, b: ImageDataset): ImageDataset {
  if (exampleSize(a) !== exampleSize(b)) throw new Error(`cannot join ${a.name} (${a.inputShape.join('x')}) and ${b.name} (${b.inputShape.join('x')})`);
  const images = new Float32Array(a.images.length + b.images.length);
  images.set(a.images);
  images.set(b.images, a.images.length);
  const labels = new Int32Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { ...a, images, labels, count: a.count + b.count };
}
