// What the VQ-VAE asks of a quantiser: replace encoder outputs by discrete codes (as tokens a
// prior can model), embed tokens back, report losses and, after each training step, update
// itself and report codebook use under the same names for every kind.
import type { tf } from '@vaelab/core';

export interface QuantizeResult {
  /** Same shape as z_e: forward = the quantised vectors; backward to z_e by the quantiser's rule. */
  quantized: tf.Tensor;
  /** int32 [cells · tokensPerCell]: each cell's tokens, stage by stage. */
  tokens: tf.Tensor1D;
  codebookLoss: tf.Scalar;
  commitmentLoss: tf.Scalar;
}

export interface LatentQuantizer {
  /** Channels of z_e it takes. */
  readonly dim: number;
  /** Distinct token values (a prior's vocabulary). */
  readonly numTokens: number;
  /** Tokens per latent cell (residual VQ: one per stage). */
  readonly tokensPerCell: number;
  /** Whether the optimiser trains the codebook through codebookLoss. */
  readonly codebookLossTrains: boolean;
  /** `training` lets the quantiser keep what afterStep needs (and apply quantiser dropout at `step`). */
  quantize(ze: tf.Tensor, training?: { step: number }): QuantizeResult;
  /** Tokens [cells · tokensPerCell] back to vectors [cells, dim]. */
  embedTokens(tokens: tf.Tensor1D): tf.Tensor2D;
  /** Each stage's vectors by token, [numTokens, dim] (the caller disposes them): a cell's vector is the sum of its stages' rows. */
  stageTables(): tf.Tensor2D[];
  /** EMA updates, k-means init, restarts; usage metrics (perplexity, usedFraction, …). */
  afterStep(step: number): Record<string, tf.Scalar>;
  /** Drops what the last training quantize() kept. */
  clearPending(): void;
}
