// A condition on a Gaussian VAE (Sohn et al. 2015): a vector per example (e.g. a one-hot label)
// joined to the encoder's input and to the decoder's latent. The model does the joining; a
// condition checks the labels it is given and turns them into the vectors.
import type * as tf from '@tensorflow/tfjs-core';

/** Labels for a batch: a tensor, plain numbers, or one number for every example. */
export type LabelInput = tf.Tensor1D | ArrayLike<number> | number;

export interface ConditionOptions {
  /** Required by conditional models (the class to encode or generate); ignored by the others. */
  labels?: LabelInput;
}

export interface Condition {
  /** Width of the condition vector (encoder features or channels, decoder latent inputs). */
  readonly size: number;
  /** Throws, naming the label, when plain labels are out of range or not integers. */
  check(labels: ArrayLike<number>): void;
  /** [n, size] vectors for a batch's labels; an error saying so when there are none. */
  vectors(labels: tf.Tensor1D | undefined, n: number): tf.Tensor2D;
}
