// EMA codebook updates (van den Oord et al. 2017, appendix A.1): per code, exponential moving
// averages of its assignment count N_k and of the sum m_k of vectors assigned to it; the code
// becomes m_k / N_k, with N_k Laplace-smoothed so rarely used codes never divide by ~zero.
// The averages start as if each code had been seen once at its initial value (N_k = 1,
// m_k = e_k), so an unused code keeps its vector instead of blowing up in the first steps.
import { tf } from '@vaelab/core';
import { codeCounts } from './quantizer.js';

export interface EmaState {
  clusterSize: tf.Variable;
  embedSum: tf.Variable;
}

/** Fresh EMA statistics for a codebook [K, D]: N_k = 1, m_k = e_k. */
export function initialEmaState(codebook: tf.Tensor2D): { clusterSize: tf.Tensor1D; embedSum: tf.Tensor2D } {
  return tf.tidy(() => ({ clusterSize: tf.ones([codebook.shape[0]]) as tf.Tensor1D, embedSum: tf.clone(codebook) }));
}

export class EmaCodebook {
  constructor(readonly codebook: tf.Variable, readonly state: EmaState, readonly decay: number, readonly epsilon: number) {}

  /** An EMA codebook owning its statistics (dispose them with dispose()). */
  static standalone(codebook: tf.Variable, decay: number, epsilon: number): EmaCodebook {
    const init = initialEmaState(codebook as tf.Tensor2D);
    const state = { clusterSize: tf.variable(init.clusterSize, false), embedSum: tf.variable(init.embedSum, false) };
    tf.dispose([init.clusterSize, init.embedSum]);
    return new EmaCodebook(codebook, state, decay, epsilon);
  }

  /** One EMA step from a batch of encoder vectors [N, D] and their chosen codes [N]. */
  update(flat: tf.Tensor2D, indices: tf.Tensor1D): void {
    tf.tidy(() => {
      const { clusterSize, embedSum } = this.state;
      const [k] = this.codebook.shape;
      const counts = codeCounts(indices, k);
      const sums = tf.unsortedSegmentSum(flat, indices, k);
      clusterSize.assign(tf.add(tf.mul(clusterSize, this.decay), tf.mul(counts, 1 - this.decay)));
      embedSum.assign(tf.add(tf.mul(embedSum, this.decay), tf.mul(sums, 1 - this.decay)));
      const n = tf.sum(clusterSize);
      const smoothed = tf.mul(tf.div(tf.add(clusterSize, this.epsilon), tf.add(n, k * this.epsilon)), n);
      this.codebook.assign(tf.div(embedSum, tf.expandDims(smoothed, 1)));
    });
  }

  /** Resets the statistics of the codes where `mask` [K] is 1 to "seen once at the codebook's current value". */
  resetCodes(mask: tf.Tensor1D): void {
    tf.tidy(() => {
      const { clusterSize, embedSum } = this.state;
      const keep = tf.sub(1, mask);
      embedSum.assign(tf.add(tf.mul(embedSum, tf.expandDims(keep, 1)), tf.mul(this.codebook, tf.expandDims(mask, 1))));
      clusterSize.assign(tf.add(tf.mul(clusterSize, keep), mask));
    });
  }

  dispose(): void {
    this.state.clusterSize.dispose();
    this.state.embedSum.dispose();
  }
}
