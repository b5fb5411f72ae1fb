// VQ-VAE (van den Oord et al. 2017): a conv encoder to a grid of vectors, each replaced by its
// nearest codebook entry, and a conv decoder; quantisation takes the place of the Gaussian
// reparameterisation. Codebook updates, k-means init and dead-code restarts run in afterStep.
import {
  type Batch, convDownLayer, defineModelSpec, type ModelSpec, convLayer, convUpLayer, deriveSeed, type Layer, type LossOutput, outputMean, ParamSet,
  reconstructionNll, sequential, type StepContext, tf, type TrainableModel,
} from '@vaelab/core';
import { EmaCodebook, initialEmaState } from './codebook-ema.js';
import { defaultVqVaeConfig, type VqVaeConfig, vqVaeConfigSchema } from './config.js';
import { deadCodeMask, markUsed, restartDeadCodes } from './dead-codes.js';
import { kMeans } from './kmeans.js';
import { vqVaeLoss } from './loss.js';
import type { CodePrior } from './prior.js';
import { codeUsage, quantize } from './quantizer.js';

const KMEANS_STREAM = 11;
const RESTART_STREAM = 12;

export class VqVae implements TrainableModel {
  readonly spec = vqVaeSpec;
  readonly params: ParamSet;
  readonly codebook: tf.Variable;
  /** Height and width of the latent grid of codes. */
  readonly gridShape: [number, number];
  private readonly encoder: Layer;
  private readonly decoder: Layer;
  private readonly ema: EmaCodebook | null;
  private readonly lastUsed: tf.Variable;
  /** The last training step's encoder vectors and codes, for afterStep. */
  private pending: { flat: tf.Tensor2D; indices: tf.Tensor1D } | null = null;
  private prior: CodePrior | null = null;
  /** Whether dispose() also disposes the attached prior. */
  private ownsPrior = false;

  constructor(readonly config: VqVaeConfig) {
    const { inputShape, filters, kernelSize, numEmbeddings: k, embeddingDim: d } = config;
    const factor = 2 ** filters.length;
    if (inputShape[0] % factor !== 0 || inputShape[1] % factor !== 0) {
      throw new Error(`vq-vae config: filters has ${filters.length} stride-2 layers, so inputShape height and width must be divisible by ${factor}, got ${inputShape[0]}x${inputShape[1]}`);
    }
    this.gridShape = [inputShape[0] / factor, inputShape[1] / factor];
    this.params = new ParamSet(config.seed);
    const channels = [inputShape[2], ...filters];
    this.encoder = sequential([
      ...filters.map((f, i) => convDownLayer(this.params, `encoder/conv${i}`, channels[i], f, kernelSize, 'relu')),
      convLayer(this.params, 'encoder/project', filters[filters.length - 1], d, 1, 1, 'linear'),
    ]);
    const reversed = [...filters].reverse();
    const upChannels = [...reversed.slice(1), inputShape[2]];
    this.decoder = sequential([
      convLayer(this.params, 'decoder/expand', d, reversed[0], 3, 1, 'relu'),
      ...reversed.map((f, i) =>
        convUpLayer(this.params, `decoder/deconv${i}`, f, upChannels[i], kernelSize, i === reversed.length - 1 ? 'linear' : 'relu')),
    ]);
    // U(−1/K, 1/K) as in the paper's reference implementation.
    this.codebook = this.params.addUniform('quantizer/codebook', [k, d], 1 / k);
    if (config.codebookUpdate.kind === 'ema') {
      this.codebook.trainable = false;
      const init = initialEmaState(this.codebook as tf.Tensor2D);
      const state = { clusterSize: this.params.addState('quantizer/emaClusterSize', init.clusterSize), embedSum: this.params.addState('quantizer/emaEmbedSum', init.embedSum) };
      this.ema = new EmaCodebook(this.codebook, state, config.codebookUpdate.decay, config.codebookUpdate.epsilon);
    } else {
      this.ema = null;
    }
    this.lastUsed = this.params.addState('quantizer/lastUsed', tf.zeros([k]));
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.trainableVariables;
  }

  get numEmbeddings(): number {
    return this.config.numEmbeddings;
  }

  /** Encoder output z_e, [B, h, w, embeddingDim]. */
  encode(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.encoder(x) as tf.Tensor4D);
  }

  /** The code index at each grid cell, int32 [B, h, w]. */
  encodeCodes(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const { indices } = quantize(this.encoder(x), this.codebook as tf.Tensor2D);
      return tf.reshape(indices, [x.shape[0], ...this.gridShape]) as tf.Tensor3D;
    });
  }

  /** Mean images from quantised vectors [B, h, w, D]. */
  decode(zq: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => outputMean(this.config.likelihood, this.decoder(zq)) as tf.Tensor4D);
  }

  /** Images from a grid of code indices, int32 [B, h, w]. */
  decodeCodes(codes: tf.Tensor3D): tf.Tensor4D {
    return tf.tidy(() => this.decode(tf.gather(this.codebook, codes) as tf.Tensor4D));
  }

  reconstruct(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.decode(quantize(this.encoder(x), this.codebook as tf.Tensor2D).quantized as tf.Tensor4D));
  }

  /** The reconstruction and the code grid it was decoded from, from one encoder pass. */
  reconstructWithCodes(x: tf.Tensor): { images: tf.Tensor4D; codes: tf.Tensor3D } {
    return tf.tidy(() => {
      const q = quantize(this.encoder(x), this.codebook as tf.Tensor2D);
      return { images: this.decode(q.quantized as tf.Tensor4D), codes: tf.reshape(q.indices, [x.shape[0], ...this.gridShape]) as tf.Tensor3D };
    });
  }

  reconstructBatch(batch: Batch): tf.Tensor4D {
    return this.reconstruct(batch.x);
  }

  /** Decodes the quantised points on the line between the encodings of images a and b. */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number): tf.Tensor4D {
    return tf.tidy(() => {
      const shape = [1, ...this.config.inputShape];
      const za = this.encoder(tf.reshape(a, shape));
      const zb = this.encoder(tf.reshape(b, shape));
      const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1, 1, 1]);
      const line = tf.add(za, tf.mul(t, tf.sub(zb, za)));
      return this.decode(quantize(line, this.codebook as tf.Tensor2D).quantized as tf.Tensor4D);
    });
  }

  /** Anomaly score: per-example reconstruction MSE (higher = less typical); deterministic, so no seed. */
  anomalyScore(x: tf.Tensor4D, _options: { seed?: number } = {}): tf.Tensor1D {
    return tf.tidy(() => tf.mean(tf.squaredDifference(this.reconstruct(x), x), [1, 2, 3]) as tf.Tensor1D);
  }

  /**
   * Sets the prior over code grids that sample() draws from (see prior.ts). With `owned`, the
   * model disposes it when it is disposed or another prior replaces it.
   */
  attachPrior(prior: CodePrior, options: { owned?: boolean } = {}): void {
    const [h, w] = prior.gridShape;
    if (h !== this.gridShape[0] || w !== this.gridShape[1] || prior.numEmbeddings !== this.config.numEmbeddings) {
      throw new Error(`prior is over ${h}x${w} grids of ${prior.numEmbeddings} codes, the model has ${this.gridShape.join('x')} grids of ${this.config.numEmbeddings}`);
    }
    if (this.ownsPrior && this.prior !== prior) this.prior?.dispose();
    this.prior = prior;
    this.ownsPrior = options.owned === true;
  }

  /** Whether a prior is attached, so sample() can draw. */
  get hasPrior(): boolean {
    return this.prior != null;
  }

  /** n images decoded from code grids drawn from the attached prior (the same options as a Gaussian VAE's sample). */
  sample(n: number, options: { seed?: number } = {}): tf.Tensor4D {
    if (this.prior == null) throw new Error('VQ-VAE cannot sample without a prior over codes: fit one (UnigramPrior.fromCodes or AutoregressivePrior) and call attachPrior first');
    const codes = this.prior.sampleCodes(n, options.seed ?? 0);
    const images = this.decodeCodes(codes);
    codes.dispose();
    return images;
  }

  computeLoss(batch: Batch, ctx: StepContext): LossOutput {
    return tf.tidy(() => {
      const ze = this.encoder(batch.x);
      const q = quantize(ze, this.codebook as tf.Tensor2D);
      const pixels = this.config.inputShape.reduce((a, b) => a * b, 1);
      const nll = reconstructionNll(this.config.likelihood, this.decoder(q.quantized), batch.x);
      const reconstruction = tf.div(tf.mean(nll), pixels) as tf.Scalar;
      if (ctx.training) {
        this.disposePending();
        this.pending = { flat: tf.keep(tf.reshape(ze, [-1, this.config.embeddingDim]) as tf.Tensor2D), indices: tf.keep(q.indices) };
      }
      return vqVaeLoss(reconstruction, q.codebookLoss, q.commitmentLoss, this.config.commitmentCost, this.config.codebookUpdate);
    });
  }

  /** EMA update or k-means init, usage bookkeeping and dead-code restarts; returns usage metrics. */
  afterStep(ctx: StepContext): Record<string, tf.Scalar> {
    const pending = this.pending;
    if (pending == null) return {};
    this.pending = null;
    const { numEmbeddings: k, codebookInit, deadCodeSteps, seed } = this.config;
    return tf.tidy(() => {
      const { flat, indices } = pending;
      if (codebookInit.kind === 'kmeans' && ctx.step === 0) {
        this.codebook.assign(kMeans(flat, k, codebookInit.iterations, deriveSeed(seed, KMEANS_STREAM)));
        this.ema?.resetCodes(tf.ones([k]));
      } else {
        this.ema?.update(flat, indices);
      }
      const usage = codeUsage(indices, k);
      markUsed(this.lastUsed, usage.counts, ctx.step);
      let deadCodes: tf.Scalar = tf.scalar(0);
      if (deadCodeSteps > 0) {
        const mask = deadCodeMask(this.lastUsed as tf.Tensor1D, ctx.step, deadCodeSteps);
        deadCodes = restartDeadCodes(this.codebook, this.lastUsed, mask, flat, ctx.step, deriveSeed(seed, RESTART_STREAM, ctx.step));
        this.ema?.resetCodes(mask);
      }
      tf.dispose([flat, indices]);
      return { perplexity: usage.perplexity, usedFraction: usage.usedFraction, deadCodes };
    });
  }

  private disposePending(): void {
    if (this.pending != null) tf.dispose([this.pending.flat, this.pending.indices]);
    this.pending = null;
  }

  dispose(): void {
    this.disposePending();
    if (this.ownsPrior) this.prior?.dispose();
    this.prior = null;
    this.params.dispose();
  }
}

export const vqVaeSpec: ModelSpec<VqVaeConfig, VqVae> = defineModelSpec({
  name: 'vq-vae',
  defaultConfig: defaultVqVaeConfig,
  configSchema: vqVaeConfigSchema,
  build: (config: VqVaeConfig): VqVae => new VqVae(config),
});

export function createVqVae(config: unknown = {}): VqVae {
  return vqVaeSpec.create(config);
}
