// Label checks at the edge: tf.oneHot silently maps out-of-range labels to all-zero rows.
import type { ImageDataset } from '@vaelab/core';

export function checkLabel(field: string, label: unknown, numClasses: number): number {
  if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= numClasses) {
    const shown = typeof label === 'number' ? String(label) : typeof label;
    throw new Error(`${field}: expected an integer class label in [0, ${numClasses - 1}], got ${shown}`);
  }
  return label;
}

export function checkLabels(field: string, labels: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < labels.length; i++) checkLabel(`${field}[${i}]`, labels[i], numClasses);
}

/** A dataset a CVAE can train on: labelled, with labels in range. */
export function checkConditionalDataset(dataset: ImageDataset, numClasses: number): void {
  if (dataset.labels.length !== dataset.count) {
    throw new Error(`dataset ${dataset.name}: a CVAE needs one label per example (${dataset.labels.length} labels for ${dataset.count} examples)`);
  }
  checkLabels(`dataset ${dataset.name} labels`, dataset.labels, numClasses);
}
