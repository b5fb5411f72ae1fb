// Numeric arrays (from .npy/.npz or IDX files) as a dataset: rank 2 is a table of feature rows,
// rank 3 grey images, rank 4 images with 1 or 3 channels; labels are one integer per example.
import type { ImageDataset } from '../dataset.js';

/** A numeric array as the loaders read it (NumPy's dtype codes: f4, u1, i8, …). */
export interface NumericArray {
  shape: number[];
  dtype: string;
  data: ArrayLike<number>;
}

export interface LabelledArrays {
  x: NumericArray;
  y?: NumericArray;
}

export const shapeText = (shape: number[]) => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/** Integer labels 0…K−1 checked one per example; returns them and K. */
export function checkedLabels(y: NumericArray, count: number, source: string): { labels: Int32Array; numClasses: number } {
  if (y.shape.length !== 1 || y.shape[0] !== count) throw new Error(`${source}: labels have shape ${shapeText(y.shape)}; expected (${count},), one per example`);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = y.data[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`${source}: label ${v} at index ${i} is not a class number (an integer ≥ 0)`);
    labels[i] = v;
  }
  return { labels, numClasses: labels.reduce((m, v) => Math.max(m, v + 1), 0) };
}

export function arraysToDataset({ x, y }: LabelledArrays, name: string, source: string, labelsSource = source): ImageDataset {
  const [count, ...rest] = x.shape;
  let inputShape: [number, number, number];
  if (rest.length === 1) inputShape = [1, rest[0], 1];
  else if (rest.length === 2) inputShape = [rest[0], rest[1], 1];
  else if (rest.length === 3 && (rest[2] === 1 || rest[2] === 3)) inputShape = [rest[0], rest[1], rest[2]];
  else throw new Error(`${source}: shape ${shapeText(x.shape)} is not (n, features), (n, h, w) or (n, h, w, 1|3)`);
  if (count === 0) throw new Error(`${source}: holds no examples`);
  const tabular = rest.length === 1;
  const images = new Float32Array(x.data.length);
  const scale = x.dtype === 'u1' && !tabular ? 1 / 255 : 1;
  for (let i = 0; i < images.length; i++) images[i] = x.data[i] * scale;
  if (!tabular && x.dtype !== 'u1') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of images) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo < 0 || hi > 1 || !Number.isFinite(lo + hi)) {
      throw new Error(`${source}: ${x.dtype} image values span [${lo}, ${hi}]; expected [0, 1] (or uint8 0–255): divide by 255 or save as uint8`);
    }
  } else if (images.some((v) => !Number.isFinite(v))) {
    throw new Error(`${source}: feature row ${Math.floor(images.findIndex((v) => !Number.isFinite(v)) / rest[0])} holds a NaN or infinite value`);
  }
  const { labels, numClasses } = y ? checkedLabels(y, count, labelsSource) : { labels: new Int32Array(0), numClasses: 0 };
  return {
    name, images, labels, count, numClasses, inputShape,
    ...(tabular ? { columns: Array.from({ length: rest[0] }, (_, i) => `x${i}`) } : {}),
  };
}
