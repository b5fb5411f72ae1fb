// Finite scalar quantisation (Mentzer et al. 2024, and their reference code): each channel i is
// bounded to (−L_i/2, L_i/2) by a shifted tanh (so even level counts get levels centred on
// half-integers), rounded with a straight-through gradient, and rescaled to [−1, 1]. The
// implicit codebook is every combination of levels: ∏ L_i codes, indexed in mixed radix. No
// codebook, no codebook or commitment loss.
import { straightThrough, tf } from '@vaelab/core';
import type { LatentQuantizer, QuantizeResult } from './latent-quantizer.js';
import { codeUsage } from './quantizer.js';

/** Keeps the bound just inside ±L/2 so that rounding never reaches an extra level. */
const BOUND_EPS = 1e-3;

export class FsqQuantizer implements LatentQuantizer {
  readonly tokensPerCell = 1;
  readonly codebookLossTrains = false;
  private readonly halfWidth: number[];
  /** Mixed-radix place values: 1, L₀, L₀L₁, … */
  private readonly basis: number[];
  private pending: tf.Tensor1D | null = null;

  constructor(readonly levels: number[]) {
    this.halfWidth = levels.map((l) => Math.floor(l / 2));
    this.basis = levels.map((_, i) => levels.slice(0, i).reduce((a, b) => a * b, 1));
  }

  get dim(): number {
    return this.levels.length;
  }

  get numTokens(): number {
    return this.levels.reduce((a, b) => a * b, 1);
  }

  /** tanh-bounded z before rounding: each channel in (−L/2, L/2) shifted by ½ for even L. */
  bound(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const half = tf.tensor1d(this.levels.map((l) => ((l - 1) * (1 + BOUND_EPS)) / 2));
      const offset = tf.tensor1d(this.levels.map((l) => (l % 2 === 0 ? 0.5 : 0)));
      const shift = tf.tensor1d(this.levels.map((l) => (l % 2 === 0 ? Math.atanh(0.5 / (((l - 1) * (1 + BOUND_EPS)) / 2)) : 0)));
      return tf.sub(tf.mul(tf.tanh(tf.add(z, shift)), half), offset);
    });
  }

  /** Codes in [−1, 1] per channel (rounded levels / ⌊L/2⌋), gradient the identity through the rounding. */
  codes(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const bounded = this.bound(z);
      return tf.div(straightThrough(bounded, tf.round(bounded)), tf.tensor1d(this.halfWidth));
    });
  }

  /** Mixed-radix index of each code vector [N, dim] → int32 [N]. */
  codesToTokens(codes: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const levelIndex = tf.add(tf.mul(codes, tf.tensor1d(this.halfWidth)), tf.tensor1d(this.halfWidth));
      return tf.cast(tf.round(tf.sum(tf.mul(levelIndex, tf.tensor1d(this.basis)), 1)), 'int32') as tf.Tensor1D;
    });
  }

  embedTokens(tokens: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const t = tf.expandDims(tf.cast(tokens, 'int32'), 1);
      const levelIndex = tf.mod(tf.floorDiv(t, tf.tensor1d(this.basis, 'int32')), tf.tensor1d(this.levels, 'int32'));
      return tf.div(tf.sub(tf.cast(levelIndex, 'float32'), tf.tensor1d(this.halfWidth)), tf.tensor1d(this.halfWidth)) as tf.Tensor2D;
    });
  }

  stageTables(): tf.Tensor2D[] {
    return [tf.tidy(() => this.embedTokens(tf.range(0, this.numTokens, 1, 'int32') as tf.Tensor1D))];
  }

  quantize(ze: tf.Tensor, training?: { step: number }): QuantizeResult {
    const d = this.dim;
    if (ze.shape[ze.shape.length - 1] !== d) throw new Error(`encoder output has ${ze.shape[ze.shape.length - 1]} channels, FSQ has ${d} levels`);
    const quantized = this.codes(ze);
    const tokens = this.codesToTokens(tf.reshape(quantized, [-1, d]) as tf.Tensor2D);
    if (training) {
      this.clearPending();
      this.pending = tf.keep(tf.clone(tokens));
    }
    return { quantized, tokens, codebookLoss: tf.scalar(0), commitmentLoss: tf.scalar(0) };
  }

  afterStep(): Record<string, tf.Scalar> {
    if (this.pending == null) return {};
    const tokens = this.pending;
    this.pending = null;
    return tf.tidy(() => {
      const usage = codeUsage(tokens, this.numTokens);
      tokens.dispose();
      return { perplexity: usage.perplexity, usedFraction: usage.usedFraction };
    });
  }

  clearPending(): void {
    this.pending?.dispose();
    this.pending = null;
  }
}
