// The Gaussian VAE (Kingma & Welling 2014): Gaussian encoder, N(0, I) prior, Bernoulli or
// Gaussian decoder. Variants compose it rather than copy it: a condition (CVAE, Sohn et al.
// 2015) joins a vector to the encoder's input and the decoder's latent; an objective (β-VAE)
// replaces the negative ELBO. One signature per capability across all of them.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import type { Layer } from '../layers/layers.js';
import { buildDecoder, buildEncoder } from '../layers/networks.js';
import { ParamSet } from '../layers/params.js';
import type { LossOutput } from '../losses/vae-loss.js';
import { deriveSeed, SAMPLE_STREAM } from '../util/random.js';
import type { Condition, ConditionOptions } from './condition.js';
import type { GaussianLatentModel } from './gaussian-latent.js';
import { gaussianLatentTerms, negativeElboPerExample } from './gaussian-latent-loss.js';
import { outputMean, reconstructionNll } from './likelihood.js';
import { elboObjective, type Objective } from './objective.js';
import type { StepContext, TrainableModel } from './types.js';
import type { VaeConfig } from './vae-config.js';

export interface GaussianVaeParts {
  /** The variant's name, stamped on checkpoints. */
  spec: { readonly name: string };
  condition?: Condition;
  /** Default: the negative ELBO with the config's KL schedule. */
  objective?: Objective;
}

export interface SampleOptions extends ConditionOptions {
  seed?: number;
}

export class GaussianVae<Config extends VaeConfig = VaeConfig> implements TrainableModel, GaussianLatentModel {
  readonly params: ParamSet;
  readonly latentDim: number;
  readonly spec: { readonly name: string };
  private readonly encoder: Layer;
  private readonly decoder: Layer;
  private readonly condition: Condition | null;
  private readonly objective: Objective;
  /** Per-feature log σ of a gaussian-learned likelihood (trained with the rest). */
  private readonly logSigma: tf.Variable | undefined;

  constructor(readonly config: Config, parts: GaussianVaeParts) {
    this.params = new ParamSet(config.seed);
    this.latentDim = config.latentDim;
    this.spec = parts.spec;
    this.condition = parts.condition ?? null;
    this.objective = parts.objective ?? elboObjective(config.klSchedule);
    const extra = this.condition?.size ?? 0;
    this.encoder = buildEncoder(this.params, config.architecture, config.inputShape, 2 * config.latentDim, extra);
    this.decoder = buildDecoder(this.params, config.architecture, config.inputShape, config.latentDim + extra);
    this.logSigma = config.likelihood.kind === 'gaussian-learned' ? this.params.addZeros('likelihood/logSigma', config.inputShape) : undefined;
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.variables;
  }

  /** Whether encode, decode and sample need `labels`. */
  get conditional(): boolean {
    return this.condition != null;
  }

  /** Labels from the caller's options as a tensor (checked); none for an unconditional model. */
  private labels(options: ConditionOptions, n: number): tf.Tensor1D | undefined {
    const given = options.labels;
    if (this.condition == null || given == null) return undefined;
    if (given instanceof tf.Tensor) return given;
    this.condition.check(typeof given === 'number' ? [given] : given);
    const list = typeof given === 'number' ? Array.from({ length: n }, () => given) : Array.from(given);
    return tf.tensor1d(list, 'int32');
  }

  /** The encoder's input: the images, joined by the condition (features for an MLP, constant channels for a conv net). */
  private encoderInput(batch: Batch): tf.Tensor {
    const { x } = batch;
    if (this.condition == null) return x;
    const [n, h, w] = x.shape;
    const c = this.condition.vectors(batch.labels, n);
    if (this.config.architecture.kind === 'mlp') return tf.concat([tf.reshape(x, [n, -1]), c], 1);
    return tf.concat([x, tf.tile(tf.reshape(c, [n, 1, 1, this.condition.size]), [1, h, w, 1])], 3);
  }

  private decoderOutput(z: tf.Tensor2D, labels: tf.Tensor1D | undefined): tf.Tensor4D {
    const input = this.condition == null ? z : tf.concat([z, this.condition.vectors(labels, z.shape[0])], 1);
    return this.decoder(input) as tf.Tensor4D;
  }

  /** q(z|x) parameters, [B, latentDim] each. */
  encode(x: tf.Tensor, options: ConditionOptions = {}): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return tf.tidy(() => this.encodeBatch({ x: x as tf.Tensor4D, labels: this.labels(options, x.shape[0]) }));
  }

  /** Raw decoder output: logits (Bernoulli) or means (Gaussian), [B,H,W,C]. */
  decodeOutput(z: tf.Tensor2D, options: ConditionOptions = {}): tf.Tensor4D {
    return tf.tidy(() => this.decoderOutput(z, this.labels(options, z.shape[0])));
  }

  /** Mean image for each latent, in [0, 1] for Bernoulli. */
  decode(z: tf.Tensor2D, options: ConditionOptions = {}): tf.Tensor4D {
    return tf.tidy(() => outputMean(this.config.likelihood, this.decodeOutput(z, options)) as tf.Tensor4D);
  }

  /** Decoded posterior means. A conditional model encodes and decodes with the same labels. */
  reconstruct(x: tf.Tensor, options: ConditionOptions = {}): tf.Tensor4D {
    return tf.tidy(() => this.reconstructBatch({ x: x as tf.Tensor4D, labels: this.labels(options, x.shape[0]) }));
  }

  /** n latents drawn from the N(0, I) prior, [n, latentDim] (seeded; seed 0 is a seed like any other). */
  drawLatents(n: number, seed = 0): tf.Tensor2D {
    return tf.randomNormal([n, this.latentDim], 0, 1, 'float32', deriveSeed(seed, SAMPLE_STREAM)) as tf.Tensor2D;
  }

  /** n decoded draws from the N(0, I) prior (of the class in `labels` for a conditional model). */
  sample(n: number, options: SampleOptions = {}): tf.Tensor4D {
    return tf.tidy(() => this.decode(this.drawLatents(n, options.seed), options));
  }

  /** Decodes `steps` points on the line between the posterior means of images a and b (a conditional model: one class, a number). */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number, options: ConditionOptions = {}): tf.Tensor4D {
    return tf.tidy(() => {
      const shape = [1, ...this.config.inputShape];
      const za = this.encode(tf.reshape(a, shape), options).zMean;
      const zb = this.encode(tf.reshape(b, shape), options).zMean;
      const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1]);
      return this.decode(tf.add(za, tf.mul(t, tf.sub(zb, za))) as tf.Tensor2D, options);
    });
  }

  /** Anomaly score: per-example negative ELBO in nats (higher = less likely). */
  anomalyScore(x: tf.Tensor4D, options: SampleOptions = {}): tf.Tensor1D {
    return tf.tidy(() => negativeElboPerExample(this, { x, labels: this.labels(options, x.shape[0]) }, options.seed ?? 0));
  }

  // GaussianLatentModel: the batch-based view training and evaluation use (labels from the batch).
  encodeBatch(batch: Batch): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const [zMean, zLogVar] = tf.split(this.encoder(this.encoderInput(batch)), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { zMean, zLogVar };
    });
  }

  reconstructionNll(z: tf.Tensor2D, batch: Batch): tf.Tensor1D {
    return tf.tidy(() => reconstructionNll(this.config.likelihood, this.decoderOutput(z, batch.labels), batch.x, this.logSigma));
  }

  reconstructBatch(batch: Batch): tf.Tensor4D {
    return tf.tidy(() => outputMean(this.config.likelihood, this.decoderOutput(this.encodeBatch(batch).zMean, batch.labels)) as tf.Tensor4D);
  }

  computeLoss(batch: Batch, ctx: StepContext): LossOutput {
    return tf.tidy(() => this.objective.loss(gaussianLatentTerms(this, batch, ctx.noiseSeed, this.config.freeBits), ctx.step));
  }

  scheduleValues(step: number): Record<string, number> {
    return this.objective.scheduleValues(step);
  }

  dispose(): void {
    this.params.dispose();
  }
}
