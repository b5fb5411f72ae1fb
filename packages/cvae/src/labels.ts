// Labels at the edge (tf.oneHot silently maps out-of-range labels to all-zero rows), and the
// CVAE's condition: the one-hot label joined to the encoder's input and the decoder's latent.
import { type Condition, type ImageDataset, tf } from '@vaelab/core';

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

/** The one-hot label condition of Sohn et al. 2015 over `numClasses` classes. */
export function labelCondition(numClasses: number): Condition {
  return {
    size: numClasses,
    check: (labels) => (labels.length === 1 ? checkLabel('label', labels[0], numClasses) : checkLabels('labels', labels, numClasses)),
    vectors: (labels, n) => {
      if (labels == null) throw new Error('a CVAE needs labelled batches (or { labels } where it encodes, decodes or samples)');
      if (labels.shape[0] !== n) throw new Error(`labels: expected ${n} labels, got ${labels.shape[0]}`);
      return tf.oneHot(tf.cast(labels, 'int32'), numClasses) as tf.Tensor2D;
    },
  };
}
