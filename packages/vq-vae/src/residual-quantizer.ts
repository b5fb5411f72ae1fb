// Residual VQ (Zeghidour et al. 2021, SoundStream §3.2): stage s quantises what stages 1…s−1
// left unexplained, and the quantised vector is the sum of every stage's code. Each stage has its
// own codebook unless they share one. Quantiser dropout trains a share of batches on only the
// first n stages (n uniform in 1…S), so fewer stages still decode well. Tokens: one per stage
// per cell, stages of a cell adjacent.
import { createRng, deriveSeed, type ParamSet, stopGradient, tf } from '@vaelab/core';
import { CodebookQuantizer } from './codebook-quantizer.js';
import type { CodebookGradient, VqVaeConfig } from './config.js';
import type { LatentQuantizer, QuantizeResult } from './latent-quantizer.js';

const DROPOUT_STREAM = 13;

export class ResidualQuantizer implements LatentQuantizer {
  readonly stages: CodebookQuantizer[];
  private readonly dropout: number;
  private readonly seed: number;

  constructor(params: ParamSet, config: VqVaeConfig, options: { stages: number; codebookSize?: number; sharedCodebook: boolean; dropout: number; gradient: CodebookGradient }) {
    const { stages, sharedCodebook, gradient } = options;
    const stageConfig = { ...config, numEmbeddings: options.codebookSize ?? config.numEmbeddings };
    const shared = sharedCodebook ? new CodebookQuantizer(params, 'quantizer/shared', stageConfig, gradient) : null;
    this.stages = Array.from({ length: stages }, (_, i) => shared ?? new CodebookQuantizer(params, `quantizer/stage${i}`, stageConfig, gradient, 100 * i));
    this.dropout = options.dropout;
    this.seed = config.seed;
  }

  // Every stage has the same codebook shape and update rule: the first speaks for all.
  get dim(): number {
    return this.stages[0].dim;
  }

  get numTokens(): number {
    return this.stages[0].numTokens;
  }

  get tokensPerCell(): number {
    return this.stages.length;
  }

  get codebookLossTrains(): boolean {
    return this.stages[0].codebookLossTrains;
  }

  /** Stages used at a training step: all, or with probability `dropout` the first n, n uniform in 1…S (seeded by step). */
  stagesAt(step: number | null): number {
    if (step == null || this.dropout === 0) return this.stages.length;
    const rng = createRng(deriveSeed(this.seed, DROPOUT_STREAM, step));
    return rng() < this.dropout ? 1 + Math.floor(rng() * this.stages.length) : this.stages.length;
  }

  stageTables(): tf.Tensor2D[] {
    return this.stages.map((stage) => tf.clone(stage.codebook) as tf.Tensor2D);
  }

  quantize(ze: tf.Tensor, training?: { step: number }): QuantizeResult {
    const used = this.stagesAt(training?.step ?? null);
    let residual = ze;
    let quantized: tf.Tensor = tf.zerosLike(ze);
    const tokens: tf.Tensor1D[] = [];
    let codebookLoss: tf.Tensor = tf.scalar(0);
    let commitmentLoss: tf.Tensor = tf.scalar(0);
    this.stages.forEach((stage, i) => {
      // Dropped stages still give tokens (for the record) but add nothing and learn nothing.
      const q = stage.quantize(residual, i < used ? training : undefined);
      tokens.push(q.tokens);
      if (i >= used) return;
      quantized = tf.add(quantized, q.quantized);
      residual = tf.sub(residual, stopGradient(q.quantized));
      codebookLoss = tf.add(codebookLoss, q.codebookLoss);
      commitmentLoss = tf.add(commitmentLoss, q.commitmentLoss);
    });
    return {
      quantized,
      tokens: tf.reshape(tf.stack(tokens, 1), [-1]) as tf.Tensor1D,
      codebookLoss: tf.div(codebookLoss, used) as tf.Scalar,
      commitmentLoss: tf.div(commitmentLoss, used) as tf.Scalar,
    };
  }

  embedTokens(tokens: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const perStage = tf.unstack(tf.reshape(tokens, [-1, this.stages.length]), 1) as tf.Tensor1D[];
      return tf.addN(perStage.map((t, i) => this.stages[i].embedTokens(t))) as tf.Tensor2D;
    });
  }

  afterStep(step: number): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const unique = [...new Set(this.stages)];
      const perStage = unique.map((stage) => stage.afterStep(step));
      const out: Record<string, tf.Scalar> = {};
      const reported = perStage.filter((m) => m.perplexity != null);
      if (reported.length === 0) return out;
      out.perplexity = tf.div(tf.addN(reported.map((m) => m.perplexity)), reported.length) as tf.Scalar;
      out.usedFraction = tf.div(tf.addN(reported.map((m) => m.usedFraction)), reported.length) as tf.Scalar;
      out.deadCodes = tf.addN(reported.map((m) => m.deadCodes)) as tf.Scalar;
      if (unique.length > 1) perStage.forEach((m, i) => {
        if (m.perplexity) Object.assign(out, { [`perplexity/stage${i + 1}`]: m.perplexity, [`usedFraction/stage${i + 1}`]: m.usedFraction });
      });
      return out;
    });
  }

  clearPending(): void {
    for (const stage of new Set(this.stages)) stage.clearPending();
  }
}
