// Vector quantisation (van den Oord et al. 2017, eqs. 1-3): each encoder vector z_e is replaced
// by its nearest codebook entry e; gradients pass straight through to z_e; the codebook loss
// ||sg[z_e] − e||² moves codes, the commitment loss ||z_e − sg[e]||² keeps the encoder close.
import { type CustomGradFunc, stopGradient, straightThrough, tf } from '@vaelab/core';
import type { CodebookGradient } from './config.js';
import { rotateOnto } from './rotation-trick.js';

export interface QuantizerOutput {
  /** Same shape as z_e; forward = codebook vectors, backward = identity to z_e. */
  quantized: tf.Tensor;
  /** Chosen code per vector, flattened over all axes but the last (int32). */
  indices: tf.Tensor1D;
  codebookLoss: tf.Scalar;
  commitmentLoss: tf.Scalar;
}

/**
 * codebook[indices] with an explicit gradient: segment sums into the codebook, float zeros for
 * the indices (tfjs's own Gather gradient returns int32 for them, which backprop rejects).
 */
const lookup = tf.customGrad(((codebook: tf.Tensor, indices: tf.Tensor, save: tf.GradSaveFunc) => {
  save([indices]);
  return {
    value: tf.gather(codebook, indices),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => [
      tf.unsortedSegmentSum(dy, saved as tf.Tensor1D, codebook.shape[0]),
      tf.zeros(saved.shape, 'float32'),
    ],
  };
}) as CustomGradFunc);

/**
 * argmin_k ||x_n − e_k||² = argmin_k |e_k|² − 2x_n·e_k for x [N, D] and codebook [K, D]: |x_n|²
 * is the same for every k, so it is left out, and the 2 scales x [N, D] rather than the [N, K]
 * product, which leaves one pass over [N, K] instead of three.
 */
export function nearestCodeIndices(flat: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const scores = tf.sub(tf.sum(tf.square(codebook), 1), tf.matMul(tf.mul(flat, 2), codebook, false, true));
    return tf.argMin(scores, 1) as tf.Tensor1D;
  });
}

/**
 * nearestCodeIndices as a single tape node with zero gradients. argmin has no gradient, but
 * without this the tape would still backpropagate zeros through the whole [N, K] distance
 * computation (a matmul as large as the forward one, per step).
 */
const nearestCodesNoGrad = tf.customGrad(((flat: tf.Tensor2D, codebook: tf.Tensor2D) => ({
  value: nearestCodeIndices(flat, codebook),
  gradFunc: () => [tf.zerosLike(flat), tf.zerosLike(codebook)],
})) as CustomGradFunc);

/** How many of `indices` [N] chose each of K codes, float32 [K] (a segment sum: O(N), not a one-hot). */
export function codeCounts(indices: tf.Tensor1D, numEmbeddings: number): tf.Tensor1D {
  return tf.tidy(() => tf.unsortedSegmentSum(tf.ones([indices.shape[0]]), indices, numEmbeddings));
}

/** Nearest-code quantisation of z_e (any shape ending in D) with the given gradient to z_e. */
export function quantize(ze: tf.Tensor, codebook: tf.Tensor2D, gradient: CodebookGradient['kind'] = 'straight-through'): QuantizerOutput {
  return tf.tidy(() => {
    const d = codebook.shape[1];
    if (ze.shape[ze.shape.length - 1] !== d) throw new Error(`encoder output has ${ze.shape[ze.shape.length - 1]} channels, the codebook has embeddingDim ${d}`);
    const flat = tf.reshape(ze, [-1, d]) as tf.Tensor2D;
    const indices = nearestCodesNoGrad(flat, codebook) as tf.Tensor1D;
    const flatCodes = lookup(codebook, indices) as tf.Tensor2D;
    const codes = tf.reshape(flatCodes, ze.shape);
    return {
      quantized: gradient === 'rotation' ? tf.reshape(rotateOnto(flat, flatCodes), ze.shape) : straightThrough(ze, codes),
      indices,
      codebookLoss: tf.mean(tf.squaredDifference(stopGradient(ze), codes)) as tf.Scalar,
      commitmentLoss: tf.mean(tf.squaredDifference(ze, stopGradient(codes))) as tf.Scalar,
    };
  }) as unknown as QuantizerOutput;
}

/** Codebook perplexity exp(H(p)) of the code-usage distribution in a batch, and the share of codes used. */
export function codeUsage(indices: tf.Tensor1D, numEmbeddings: number): { perplexity: tf.Scalar; usedFraction: tf.Scalar; counts: tf.Tensor1D } {
  return tf.tidy(() => {
    const counts = codeCounts(indices, numEmbeddings);
    const p = tf.div(counts, indices.shape[0]);
    const entropy = tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-10)))));
    return {
      perplexity: tf.exp(entropy) as tf.Scalar,
      usedFraction: tf.div(tf.sum(tf.cast(tf.greater(counts, 0), 'float32')), numEmbeddings) as tf.Scalar,
      counts,
    };
  }) as unknown as { perplexity: tf.Scalar; usedFraction: tf.Scalar; counts: tf.Tensor1D };
}
