// EMA codebook updates (van den Oord et al. 2017, appendix A.1): per code, exponential moving
// averages of its assignment count N_k and of the sum m_k of vectors assigned to it; the code
// becomes m_k / N_k, with N_k Laplace-smoothed so unused codes never divide by zero.
import { tf } from '@vaelab/core';

export class EmaCodebook {
  readonly clusterSize: tf.Variable;
  readonly embedSum: tf.Variable;

  constructor(readonly codebook: tf.Variable, readonly decay: number, readonly epsilon: number) {
    const [k] = codebook.shape;
    this.clusterSize = tf.variable(tf.zeros([k]), false);
    this.embedSum = tf.variable(tf.clone(codebook), false);
  }

  /** One EMA step from a batch of encoder vectors [N, D] and their chosen codes [N]. */
  update(flat: tf.Tensor2D, indices: tf.Tensor1D): void {
    tf.tidy(() => {
      const [k] = this.codebook.shape;
      const onehot = tf.cast(tf.oneHot(indices, k), 'float32');
      const counts = tf.sum(onehot, 0);
      const sums = tf.matMul(onehot, flat, true, false);
      this.clusterSize.assign(tf.add(tf.mul(this.clusterSize, this.decay), tf.mul(counts, 1 - this.decay)));
      this.embedSum.assign(tf.add(tf.mul(this.embedSum, this.decay), tf.mul(sums, 1 - this.decay)));
      const n = tf.sum(this.clusterSize);
      const smoothed = tf.mul(tf.div(tf.add(this.clusterSize, this.epsilon), tf.add(n, k * this.epsilon)), n);
      this.codebook.assign(tf.div(this.embedSum, tf.expandDims(smoothed, 1)));
    });
  }

  /** Re-initialises the given codes (and their EMA state, as if seen once) from the given vectors [codes.length, D]. */
  restart(codes: number[], vectors: tf.Tensor2D): void {
    if (codes.length === 0) return;
    tf.tidy(() => {
      const select = tf.cast(tf.oneHot(tf.tensor1d(codes, 'int32'), this.codebook.shape[0]), 'float32'); // [R, K]
      const mask = tf.sum(select, 0); // 1 for restarted codes
      const keep = tf.expandDims(tf.sub(1, mask), 1);
      const placed = tf.matMul(select, vectors, true, false); // [K, D], the new vectors at their codes
      this.codebook.assign(tf.add(tf.mul(this.codebook, keep), placed));
      this.embedSum.assign(tf.add(tf.mul(this.embedSum, keep), placed));
      this.clusterSize.assign(tf.add(tf.mul(this.clusterSize, tf.sub(1, mask)), mask));
    });
  }

  dispose(): void {
    this.clusterSize.dispose();
    this.embedSum.dispose();
  }
}
