// A codebook of K vectors of size D as a quantiser: nearest-code lookup with a straight-through
// or rotation gradient, the codebook learned by its loss or by EMA, k-means initialisation at the
// first step and dead-code restarts. A residual quantiser may call quantize() once per stage
// that shares it in one step; afterStep then learns from all of them.
import { deriveSeed, type ParamSet, tf } from '@vaelab/core';
import { EmaCodebook, initialEmaState } from './codebook-ema.js';
import type { CodebookGradient, VqVaeConfig } from './config.js';
import { deadCodeMask, markUsed, restartDeadCodes } from './dead-codes.js';
import { kMeans } from './kmeans.js';
import type { LatentQuantizer, QuantizeResult } from './latent-quantizer.js';
import { codeUsage, quantize } from './quantizer.js';

const KMEANS_STREAM = 11;
const RESTART_STREAM = 12;

export class CodebookQuantizer implements LatentQuantizer {
  readonly codebook: tf.Variable;
  readonly tokensPerCell = 1;
  private readonly ema: EmaCodebook | null;
  private readonly lastUsed: tf.Variable;
  private pending: { flat: tf.Tensor2D; indices: tf.Tensor1D }[] = [];

  /** `prefix` names its variables (quantizer/… for a single codebook, quantizer/stageN/… in a residual stack). */
  constructor(params: ParamSet, prefix: string, private readonly config: VqVaeConfig, private readonly gradient: CodebookGradient, private readonly streamOffset = 0) {
    const { numEmbeddings: k, embeddingDim: d } = config;
    // U(−1/K, 1/K) as in the paper's reference implementation.
    this.codebook = params.addUniform(`${prefix}/codebook`, [k, d], 1 / k);
    if (config.codebookUpdate.kind === 'ema') {
      this.codebook.trainable = false;
      const init = initialEmaState(this.codebook as tf.Tensor2D);
      const state = { clusterSize: params.addState(`${prefix}/emaClusterSize`, init.clusterSize), embedSum: params.addState(`${prefix}/emaEmbedSum`, init.embedSum) };
      this.ema = new EmaCodebook(this.codebook, state, config.codebookUpdate.decay, config.codebookUpdate.epsilon);
    } else {
      this.ema = null;
    }
    this.lastUsed = params.addState(`${prefix}/lastUsed`, tf.zeros([k]));
  }

  get dim(): number {
    return this.config.embeddingDim;
  }

  get numTokens(): number {
    return this.config.numEmbeddings;
  }

  get codebookLossTrains(): boolean {
    return this.config.codebookUpdate.kind === 'loss';
  }

  quantize(ze: tf.Tensor, training?: { step: number }): QuantizeResult {
    const q = quantize(ze, this.codebook as tf.Tensor2D, this.gradient.kind);
    if (training) this.pending.push({ flat: tf.keep(tf.reshape(ze, [-1, this.dim]) as tf.Tensor2D), indices: tf.keep(tf.clone(q.indices)) });
    return { quantized: q.quantized, tokens: q.indices, codebookLoss: q.codebookLoss, commitmentLoss: q.commitmentLoss };
  }

  embedTokens(tokens: tf.Tensor1D): tf.Tensor2D {
    return tf.gather(this.codebook, tokens) as tf.Tensor2D;
  }

  stageTables(): tf.Tensor2D[] {
    return [tf.clone(this.codebook) as tf.Tensor2D];
  }

  afterStep(step: number): Record<string, tf.Scalar> {
    if (this.pending.length === 0) return {};
    const pending = this.pending;
    this.pending = [];
    const { numEmbeddings: k, codebookInit, deadCodeSteps, seed } = this.config;
    return tf.tidy(() => {
      const flat = pending.length === 1 ? pending[0].flat : tf.concat(pending.map((p) => p.flat)) as tf.Tensor2D;
      const indices = pending.length === 1 ? pending[0].indices : tf.concat(pending.map((p) => p.indices)) as tf.Tensor1D;
      if (codebookInit.kind === 'kmeans' && step === 0) {
        this.codebook.assign(kMeans(flat, k, codebookInit.iterations, deriveSeed(seed, KMEANS_STREAM + this.streamOffset)));
        this.ema?.resetCodes(tf.ones([k]));
      } else {
        this.ema?.update(flat, indices);
      }
      const usage = codeUsage(indices, k);
      markUsed(this.lastUsed, usage.counts, step);
      let deadCodes: tf.Scalar = tf.scalar(0);
      if (deadCodeSteps > 0) {
        const mask = deadCodeMask(this.lastUsed as tf.Tensor1D, step, deadCodeSteps);
        deadCodes = restartDeadCodes(this.codebook, this.lastUsed, mask, flat, step, deriveSeed(seed, RESTART_STREAM + this.streamOffset, step));
        this.ema?.resetCodes(mask);
      }
      tf.dispose(pending.flatMap((p) => [p.flat, p.indices]));
      return { perplexity: usage.perplexity, usedFraction: usage.usedFraction, deadCodes };
    });
  }

  clearPending(): void {
    tf.dispose(this.pending.flatMap((p) => [p.flat, p.indices]));
    this.pending = [];
  }
}
